using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Sre.Domain.Backups;
using Sre.Domain.Incidents;
using Sre.Domain.Releases;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using Sre.Domain.Toil;
using Sre.Host.Alertmanager;
using Sre.Host.Backups;
using Sre.Host.Incidents;
using Sre.Host.Releases;
using Sre.Host.Slos;
using Sre.Host.Toil;
using Sre.Projections.Caching;

namespace Sre.Host.Ui.Pages;

/// <summary>
/// <c>GET /ui/overview?window=30d</c> (7d, 30d or 90d): per service MTTA, time to mitigate and MTTR against the window
/// before; the alert rules, noisiest first (<see cref="GetAlertRuleQualityEndpoint.Report"/>); each team's toil share
/// of the last twelve weeks against the 50% cap (<see cref="GetTeamToilEndpoint.Report"/>); backups, stalest first
/// (<see cref="ListBackupsEndpoint.Statuses"/>); and the services whose release gate is frozen.
/// </summary>
public sealed class OverviewModel(
    IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock, IOptions<AlertmanagerOptions> alertmanager,
    IOptions<SloPolicyOptions> policy) : PageModel
{
    public static readonly string[] Windows = ["7d", "30d", "90d"];

    public string Window { get; private set; } = "30d";
    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<ServiceResponse> Responses { get; private set; } = [];
    public AlertQualityReport Rules { get; private set; } = null!;
    public IReadOnlyList<TeamToilTrend> Toil { get; private set; } = [];
    public IReadOnlyList<BackupStatusReport> Backups { get; private set; } = [];
    public IReadOnlyList<GateDecision> Frozen { get; private set; } = [];

    public async Task OnGetAsync(string? window)
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        Window = Windows.Contains(window) ? window! : "30d";
        PromDuration.TryParse(Window, out var span);

        var since = Now - span - span;
        var incidents = await session.Query<Incident>().Where(i => i.Opened.At >= since).ToListAsync(ct);
        Responses = Overview.Responses(incidents, Now, span);
        Rules = await GetAlertRuleQualityEndpoint.Report(span, Now, session, alertmanager.Value.ServiceLabel, ct);

        var (start, end, kind) = GetTeamToilEndpoint.Range(null, null, null, clock);
        var teams = (await session.Query<Team>().Select(t => t.Name).ToListAsync(ct))
            .Concat(await session.Query<ToilEntry>().Where(e => e.PerformedAt >= start).Select(e => e.Team).Distinct().ToListAsync(ct))
            .Distinct().Order(StringComparer.Ordinal);
        var toil = new List<TeamToilTrend>();
        foreach (var team in teams)
            if (await GetTeamToilEndpoint.Report(team, start, end, kind, session, ct) is { } report)
                toil.Add(new TeamToilTrend(team, report.Buckets, report.Cap));
        Toil = toil;

        Backups = await ListBackupsEndpoint.Statuses(session, Now, ct);
        var services = (await session.Query<Slo>().Select(s => s.Service).Distinct().ToListAsync(ct)).Order(StringComparer.Ordinal);
        var frozen = new List<GateDecision>();
        foreach (var service in services)
            if (await GetReleaseGateEndpoint.Current(service, session, slices, cache, Now, policy.Value.FreezeAtRemaining, ct) is { Frozen: true } gate)
                frozen.Add(gate);
        Frozen = frozen;
    }
}
