using System.Text;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Sre.Domain.Deployments;
using Sre.Domain.Incidents;
using Sre.Domain.Releases;
using Sre.Domain.Slos;
using Sre.Host.Incidents;
using Sre.Host.Releases;
using Sre.Host.Slos;
using Sre.Host.Slos.Prometheus;
using Sre.Host.Ui.Slos;
using Sre.Projections.Caching;

namespace Sre.Host.Ui.Pages.Slos;

/// <summary>
/// <c>GET /ui/slos/{name}</c>: the SLO's tiles from the status <c>GET /api/v1/slos/{name}/status</c> answers
/// (<see cref="GetSloStatusEndpoint.Status"/>), the budget burn-down of the current period (<see cref="BudgetBurnDown"/>),
/// the burn rates of the conditions' windows over <see cref="SloRange"/> (<see cref="SloReads.History"/>, what
/// <c>budget-history</c> computes) with deployments and incidents as markers, the multi-window, multi-burn-rate
/// conditions, the budget each linked incident spent, the service's release gate and the definition as OpenSLO.
/// <c>GET ?handler=openslo</c> downloads that YAML. 404 for an SLO that does not exist.
/// </summary>
public sealed class SloDetailModel(
    IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock, IOptions<PrometheusOptions> prometheus,
    IOptions<SloPolicyOptions> policy) : PageModel
{
    public Slo Slo { get; private set; } = null!;
    public SloStatus? Status { get; private set; }
    public SloRange Range { get; private set; } = null!;
    public IReadOnlyList<string> Presets { get; private set; } = [];
    public ChartData? BurnDown { get; private set; }
    public ChartData? BurnRates { get; private set; }
    public IReadOnlyList<(Incident Incident, double? Spent)> Incidents { get; private set; } = [];
    public GateDecision? Gate { get; private set; }
    public string OpenSlo { get; private set; } = "";
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name)
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        if (await session.LoadAsync<Slo>(SloIds.For(name), ct) is not { } slo) return NotFound();
        Slo = slo;
        OpenSlo = await ExportOpenSloEndpoint.Yaml(name, session, cache, prometheus.Value, ct) ?? "";
        Gate = await GetReleaseGateEndpoint.Current(slo.Service, session, slices, cache, Now, policy.Value.FreezeAtRemaining, ct);
        Status = await GetSloStatusEndpoint.Status(slo, Now, session, slices, cache, prometheus.Value, ct);
        if (Status is null) return Page();

        Range = SloRange.Of(Request.Query, Status.PeriodLength, Now);
        Presets = SloRange.Presets(Status.PeriodLength);
        var since = Range.From < Status.PeriodStart ? Range.From : Status.PeriodStart;
        var markers = await Markers(slo, since, ct);
        var data = (await SloReads.Load(slices, slo, Now, ct, from: since))!.Value;
        BurnDown = ChartData.BurnDown(BudgetBurnDown.Of(data.Definition, slo.CountsFrom, data.Slices, Now, SloRange.Points), markers);
        BurnRates = ChartData.BurnRates(await SloReads.History(slices, slo, Range.Instants(), ct), markers, Range.From, Range.To);
        return Page();
    }

    public async Task<IActionResult> OnGetOpenSloAsync(string name) =>
        await ExportOpenSloEndpoint.Yaml(name, session, cache, prometheus.Value, HttpContext.RequestAborted) is { } yaml
            ? File(Encoding.UTF8.GetBytes(yaml), "application/yaml", $"{name}.openslo.yaml")
            : NotFound();

    /// <summary>The service's deployments and the incidents linked to the SLO since <paramref name="since"/>; the incidents with the budget each spent.</summary>
    private async Task<IReadOnlyList<ChartMarker>> Markers(Slo slo, DateTimeOffset since, CancellationToken ct)
    {
        var deployments = await session.Query<Deployment>()
            .Where(d => d.Service == slo.Service && d.DeployedAt >= since && d.DeployedAt <= Now).ToListAsync(ct);
        var incidents = (await session.Query<Incident>()
                .Where(i => i.Slos.Contains(slo.Name) && i.Opened.At <= Now)
                .OrderByDescending(i => i.Opened.At).Take(200).ToListAsync(ct))
            .Where(i => (i.Resolved?.At ?? Now) >= since)
            .ToList();
        var spent = new List<(Incident, double?)>();
        foreach (var incident in incidents)
            spent.Add((incident, (await IncidentSloSpend.For(session, slices, incident, Now, ct)).FirstOrDefault(s => s.Slo == slo.Name)?.BudgetSpent));
        Incidents = spent;
        return deployments.Select(d => new ChartMarker(d.DeployedAt.ToUnixTimeSeconds(), "deployment", $"deployed {d.ReleaseVersion}"))
            .Concat(incidents.Select(i => new ChartMarker((i.ImpactStartedAt ?? i.Opened.At).ToUnixTimeSeconds(), "incident", i.Title)))
            .OrderBy(m => m.At).ToList();
    }
}
