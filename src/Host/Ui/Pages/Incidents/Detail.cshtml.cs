using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Sre.Domain.Deployments;
using Sre.Domain.Incidents;
using Sre.Host.Incidents;
using Sre.Host.Slos;
using Sre.Host.Ui.Incidents;

namespace Sre.Host.Ui.Pages.Incidents;

/// <summary>
/// <c>GET /ui/incidents/{id}</c>: the incident (status, severity, commander, linked SLOs with the budget each spent,
/// <see cref="IncidentSloSpend"/>), its alerts, and its timeline (the API's <see cref="GetIncidentTimelineEndpoint.Entries"/>
/// with the service's deployments, filtered by <c>?kind=</c>, <see cref="TimelineKinds"/>). <c>POST ?handler=acknowledge</c>
/// (mitigate, resolve, reopen, note, severity, commander, postmortem, close, triage) runs the API's command of that
/// name (<see cref="IncidentAction"/>) for a key with the write scope (403 otherwise); a refusal is answered with its
/// status (400, 404, 409) and shown beside the form it came from, and nothing is stored.
/// </summary>
public sealed partial class IncidentModel(
    IDocumentSession session, SliceStore slices, TimeProvider clock, IOptions<IncidentOptions> incidents, IOptions<SloPolicyOptions> policy)
    : PageModel
{
    public Incident Incident { get; private set; } = null!;
    public IReadOnlyList<IncidentAlert> Alerts { get; private set; } = [];
    public IReadOnlyList<SloSpend> Spends { get; private set; } = [];
    public IReadOnlyList<(DateTimeOffset At, string Kind, string Type, string By, string Text)> Timeline { get; private set; } = [];
    public IReadOnlySet<string> Kinds { get; private set; } = TimelineKinds.All.ToHashSet();
    public DateTimeOffset Now { get; private set; }

    /// <summary>The action that failed and why: shown beside its form.</summary>
    public (string Action, string Message)? Failed { get; private set; }

    /// <summary>Why this incident needs a postmortem before it closes, or null: its severity, a budget rule's event, or a budget spent now.</summary>
    public string? PostmortemRequiredBecause { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await Show(id) ? Page() : NotFound();

    private async Task<bool> Show(Guid id)
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        if (await session.LoadAsync<Incident>(id, ct) is not { } incident) return false;
        Incident = incident;
        Alerts = await IncidentJson.AlertsOf(session, id, ct);
        Spends = await IncidentSloSpend.For(session, slices, incident, Now, ct);
        Kinds = TimelineKinds.Chosen(Request.Query["kind"]);
        var entries = GetIncidentTimelineEndpoint.Entries(await session.Events.FetchStreamAsync(id, token: ct))
            .Select(e => (e.At, Kind: TimelineKinds.Of(e.Type), e.Type, e.By, Text: TimelineText.Of(e.Details)));
        // The service's deployments from six hours before the incident opened to its end: what changed around it.
        var from = (incident.ImpactStartedAt ?? incident.Opened.At).AddHours(-6);
        var to = incident.Resolved?.At ?? Now;
        var deployments = (await session.Query<Deployment>()
                .Where(d => d.Service == incident.Service && d.DeployedAt >= from && d.DeployedAt <= to).ToListAsync(ct))
            .Select(d => (At: d.DeployedAt, Kind: TimelineKinds.Deployments, Type: "Deployment", By: d.Recorded.By,
                Text: $"Deployed {d.ReleaseVersion}{(d.Link is null ? "" : $" ({d.Link})")}"));
        Timeline = entries.Concat(deployments).Where(e => Kinds.Contains(e.Kind)).OrderBy(e => e.At).ToList();
        var overspent = Spends.FirstOrDefault(s => s.BudgetSpent > policy.Value.PostmortemAtIncidentSpend);
        PostmortemRequiredBecause = incident.Postmortem is not null ? null
            : incident.PostmortemRequiredFor
              ?? (incidents.Value.PostmortemRequiredSeverities.Contains(incident.Severity, StringComparer.OrdinalIgnoreCase)
                  ? $"its severity is {incident.Severity}" : null)
              ?? (overspent is null ? null : $"it spent {SloText.Percent(overspent.BudgetSpent, 1)} of the error budget of SLO '{overspent.Slo}'");
        return true;
    }

    /// <summary>After an action: the page again (htmx swaps it in place), with the refusal beside its form and its status.</summary>
    private async Task<IActionResult> After(string action, Guid id, ActionOutcome outcome)
    {
        if (outcome.Succeeded && !Request.Headers.ContainsKey("HX-Request"))
            return Redirect(Url.Content($"~/ui/incidents/{id}"));
        if (!await Show(id)) return NotFound();
        if (!outcome.Succeeded)
        {
            Failed = (action, outcome.Error!);
            Response.StatusCode = outcome.Status;
        }
        return Page();
    }
}
