using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Incidents;
using Sre.Host.Ui.Incidents;

namespace Sre.Host.Ui.Pages.Incidents;

/// <summary>The incident page's actions: each the API's endpoint of that name, run by <see cref="IncidentAction"/>.</summary>
public sealed partial class IncidentModel
{
    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, long version, string? by) =>
        Act("acknowledge", id, new AcknowledgeIncident(by, version), c => (i, _) => AcknowledgeIncidentEndpoint.Post(c, i, HttpContext, clock));

    public Task<IActionResult> OnPostMitigateAsync(Guid id, long version, string? by, string? note) =>
        Act("mitigate", id, new MitigateIncident(by, Blank(note), version), c => (i, _) => MitigateIncidentEndpoint.Post(c, i, HttpContext, clock));

    public Task<IActionResult> OnPostResolveAsync(Guid id, long version, string? by, string? note) =>
        Act("resolve", id, new ResolveIncident(by, Blank(note), version), c => (i, _) => ResolveIncidentEndpoint.Post(c, i, HttpContext, clock));

    public Task<IActionResult> OnPostReopenAsync(Guid id, long version, string? by, string? reason) =>
        Act("reopen", id, new ReopenIncident(by, Blank(reason), version), c => (i, _) => ReopenIncidentEndpoint.Post(c, i, HttpContext, clock));

    public Task<IActionResult> OnPostNoteAsync(Guid id, long version, string? by, string? text) =>
        Act("note", id, new AddIncidentNote(by, text ?? "", version), c => (i, _) => AddIncidentNoteEndpoint.Post(c, i, HttpContext, clock),
            AddIncidentNoteEndpoint.Validate);

    public Task<IActionResult> OnPostSeverityAsync(Guid id, long version, string? by, string? severity) =>
        Act("severity", id, new ChangeIncidentSeverity(by, severity ?? "", version),
            c => (i, _) => ChangeIncidentSeverityEndpoint.Post(c, i, HttpContext, clock), ChangeIncidentSeverityEndpoint.Validate);

    public Task<IActionResult> OnPostCommanderAsync(Guid id, long version, string? by, string? commander) =>
        Act("commander", id, new AssignIncidentCommander(by, commander ?? "", version),
            c => (i, _) => AssignIncidentCommanderEndpoint.Post(c, i, HttpContext, clock), AssignIncidentCommanderEndpoint.Validate);

    public Task<IActionResult> OnPostPostmortemAsync(Guid id, long version, string? by, string? link, string? summary) =>
        Act("postmortem", id, new RecordPostmortem(link ?? "", summary ?? "", by, null, version),
            c => (i, _) => RecordPostmortemEndpoint.Post(c, i, HttpContext, clock), RecordPostmortemEndpoint.Validate);

    public Task<IActionResult> OnPostTriageAsync(Guid id, long version, string? by, string? fingerprint, DateTimeOffset? startsAt, AlertVerdict verdict) =>
        Act("triage", id, new TriageAlerts(verdict, by, fingerprint, startsAt, version),
            c => (i, alerts) => TriageAlertsEndpoint.Post(c, i, alerts, HttpContext, clock));

    public Task<IActionResult> OnPostCloseAsync(Guid id, long version, string? by) =>
        Act("close", id, new CloseIncident(by, version), c => async (i, _) => CloseIncidentEndpoint.Post(c, i,
            await CloseIncidentEndpoint.LoadAsync(i, session, slices, clock, HttpContext.RequestAborted), HttpContext, clock, incidents, policy));

    private Task<IActionResult> Act<TCommand>(
        string action, Guid id, TCommand command, Func<TCommand, Func<Incident, IReadOnlyList<IncidentAlert>, Decision>> decide,
        Func<TCommand, ProblemDetails>? validate = null) where TCommand : IIncidentCommand =>
        Act(action, id, command, c => (i, alerts) => Task.FromResult(decide(c)(i, alerts)), validate);

    private async Task<IActionResult> Act<TCommand>(
        string action, Guid id, TCommand command, Func<TCommand, Func<Incident, IReadOnlyList<IncidentAlert>, Task<Decision>>> decide,
        Func<TCommand, ProblemDetails>? validate = null) where TCommand : IIncidentCommand
    {
        // A read key sees no action; a forged form from one is refused as the API refuses it.
        if (!User.CanWrite()) return Forbid(UiSetup.Scheme);
        var outcome = await IncidentAction.Run(command, id, session, HttpContext,
            validate?.Invoke(command) ?? Wolverine.Http.WolverineContinue.NoProblems, decide(command));
        return await After(action, id, outcome);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
