using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Alertmanager;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>
/// The answer of <c>GET /api/v1/alert-quality</c>: the window (<see cref="From"/>, <see cref="To"/>), the grace after a
/// budget event's end within which an alert still counts for it (seconds), the filters, and the four measures over
/// everything in scope, per alert rule (alertname), per SLO and per service (<see cref="AlertQualityRow"/>: precision with
/// its counts and evidence, recall with its counts, detection and reset time in seconds as count, mean, p50, p90).
/// </summary>
public sealed record AlertQualityAnswer(
    DateTimeOffset From, DateTimeOffset To, double GraceSeconds, string? Service, string? Slo,
    AlertQualityRow Overall, IReadOnlyList<AlertQualityRow> Rules, IReadOnlyList<AlertQualityRow> Slos, IReadOnlyList<AlertQualityRow> Services);

/// <summary>
/// Alert quality as the SRE workbook measures it (ch. 5, "Alerting on SLOs"), of the alerts Alertmanager sent against the
/// budget events the evaluator recorded (<see cref="BudgetEventRecorded"/>), by <see cref="SloAlertQuality"/>.
/// <list type="bullet">
/// <item>Sources: the alert occurrences of incidents (their first notification, their resolution: Alertmanager's endsAt
/// of a resolved one, their triage), those
/// first notified within the window; the budget events each SLO keeps (<see cref="Slo.BudgetEvents"/>) that overlap it.</item>
/// <item>An alert concerns the SLO of its label <c>slo</c> and the service of its label <c>Alertmanager:ServiceLabel</c>
/// (else its incident's). <c>slo</c> keeps the SLO's events and the alerts that concern it or its service; <c>service</c>
/// the events of the service's SLOs and the alerts of the service or of its SLOs.</item>
/// <item>Measures without cases are null beside their counts, never NaN.</item>
/// <item>Errors: 400 for a window that is not a duration of 1m to 90d (the budget events an SLO keeps), 404 for an unknown SLO.</item>
/// </list>
/// </summary>
public static class GetAlertQualityEndpoint
{
    public static ProblemDetails Validate(Duration? window) =>
        window is { } w && (w.Value < TimeSpan.FromMinutes(1) || w.Value > Slo.BudgetEventsKept)
            ? Problems.InvalidDetails("window", "must be between 1m and 90d.")
            : WolverineContinue.NoProblems;

    [WolverineGet("/api/v1/alert-quality")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        Duration? window, string? service, string? slo, IQuerySession session, TimeProvider clock, IOptions<AlertmanagerOptions> alertmanager,
        HttpContext http)
    {
        var ct = http.RequestAborted;
        var to = clock.GetUtcNow();
        var from = to - (window?.Value ?? TimeSpan.FromDays(30));

        var sloQuery = session.Query<Slo>().AsQueryable();
        if (!string.IsNullOrEmpty(slo)) sloQuery = sloQuery.Where(s => s.Name == slo);
        if (!string.IsNullOrEmpty(service)) sloQuery = sloQuery.Where(s => s.Service == service);
        var slos = await sloQuery.ToListAsync(ct);
        if (!string.IsNullOrEmpty(slo) && slos.Count == 0 && await session.Query<Slo>().AnyAsync(s => s.Name == slo, ct) is false)
            return Problems.NotFound($"No SLO named '{slo}'.");

        var events = slos
            .SelectMany(s => s.BudgetEvents.Where(e => e.End >= from && e.Start <= to).Select(e => new SloBudgetEvent(s.Name, s.Service, e)))
            .ToList();

        // An alert first notified in the window changed its incident then: no incident that last changed before holds one.
        var incidents = await session.Query<Incident>().Where(i => i.LastChange.At >= from).ToListAsync(ct);
        var byId = incidents.ToDictionary(i => i.Id);
        var ids = byId.Keys.ToArray();
        var occurrences = await session.Query<IncidentAlert>().Where(a => a.IncidentId.IsOneOf(ids)).ToListAsync(ct);
        var serviceLabel = alertmanager.Value.ServiceLabel;
        var alerts = occurrences
            .Where(a => a.NotifiedAt >= from && a.NotifiedAt <= to)
            .Select(a => new NotifiedAlert(
                a.Id, a.AlertName, a.Labels.GetValueOrDefault(Incident.SloLabelName),
                a.Labels.GetValueOrDefault(serviceLabel) ?? byId[a.IncidentId].Service, a.NotifiedAt,
                a.Status == AlertStatus.Resolved ? a.EndsAt : null, a.Verdict))
            .Where(a => (string.IsNullOrEmpty(slo) || slos.Any(s => a.Slo == s.Name || a.Service == s.Service))
                && (string.IsNullOrEmpty(service) || a.Service == service || slos.Any(s => a.Slo == s.Name)))
            .ToList();

        var grace = AlertMeasures.DefaultGrace;
        var measures = SloAlertQuality.Compute(alerts, events, slos.Select(s => (s.Name, s.Service)).ToList(), grace);
        return Results.Ok(new AlertQualityAnswer(
            from, to, grace.TotalSeconds, NullIfEmpty(service), NullIfEmpty(slo),
            measures.Overall, measures.Rules, measures.Slos, measures.Services));
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
