using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Alertmanager;
using Sre.Host.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>An alert occurrence that counts for a budget event: its id, incident, rule, first notification and resolution (null while firing).</summary>
public sealed record BudgetEventAlert(string Id, Guid IncidentId, string AlertName, DateTimeOffset NotifiedAt, DateTimeOffset? ResolvedAt);

/// <summary>An incident that counts for a budget event, by its opening or by one of its alerts.</summary>
public sealed record BudgetEventIncident(Guid Id, string Title, bool Declared, DateTimeOffset OpenedAt, IncidentStatus Status);

/// <summary>
/// One budget event (<see cref="BudgetEvent"/>: start, end, bad units, share of the period's budget spent, its hot
/// windows) with the alerts and incidents that count for it.
/// </summary>
public sealed record BudgetEventMatches(
    DateTimeOffset Start, DateTimeOffset End, decimal Bad, double Spent, IReadOnlyList<BudgetEventAlert> Alerts,
    IReadOnlyList<BudgetEventIncident> Incidents);

/// <summary>The answer of <c>GET /api/v1/slos/{name}/budget-events</c>.</summary>
public sealed record BudgetEventsAnswer(
    string Slo, string Service, DateTimeOffset From, DateTimeOffset To, double GraceSeconds, IReadOnlyList<BudgetEventMatches> Events);

/// <summary>
/// The SLO's budget events (significant events found in its SLI data, SRE workbook ch. 5; issue 23) that overlap the
/// window (default 30d, at most 90d: what an SLO keeps), oldest first, each with the alerts and incidents that count for it
/// by the matching rules of <see cref="SloAlertQuality"/>: an alert of the SLO (label <c>slo</c>) or its service first
/// notified between the event's start and its end plus the grace (1h); an incident of the service or the SLO opened
/// within the same span, or holding such an alert. The other side of an incident's <c>budgetEvents</c>. 404 for an
/// unknown SLO, 400 for a window out of range.
/// </summary>
public static class ListBudgetEventsEndpoint
{
    public static ProblemDetails Validate(Duration? window) =>
        window is { } w && (w.Value < TimeSpan.FromMinutes(1) || w.Value > Slo.BudgetEventsKept)
            ? Problems.InvalidDetails("window", "must be between 1m and 90d.")
            : WolverineContinue.NoProblems;

    [WolverineGet("/api/v1/slos/{name}/budget-events")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string name, Duration? window, IQuerySession session, TimeProvider clock, IOptions<AlertmanagerOptions> alertmanager, HttpContext http)
    {
        var ct = http.RequestAborted;
        if (await session.LoadAsync<Slo>(SloIds.For(name), ct) is not { } slo) return Problems.NotFound($"No SLO named '{name}'.");
        var to = clock.GetUtcNow();
        var from = to - (window?.Value ?? TimeSpan.FromDays(30));
        var grace = AlertMeasures.DefaultGrace;
        var events = slo.BudgetEvents.Where(e => e.End >= from && e.Start <= to)
            .Select(e => (Event: e, Significant: SignificantEvent.Of(slo.Name, slo.Service, e)))
            .ToList();

        var inputs = await AlertQualityReads.Load(session, from, to, null, slo.Name, alertmanager.Value.ServiceLabel, ct);
        var opened = await session.Query<Incident>()
            .Where(i => i.Opened.At >= from && i.Opened.At <= to && (i.Service == slo.Service || i.Slos.Contains(slo.Name)))
            .ToListAsync(ct);
        var holding = inputs.Alerts.Select(a => a.IncidentId!.Value).Except(opened.Select(i => i.Id)).Distinct().ToArray();
        var incidents = opened.Concat(holding.Length == 0 ? [] : await session.LoadManyAsync<Incident>(ct, holding)).ToDictionary(i => i.Id);

        var answer = events.Select(x =>
        {
            var alerts = inputs.Alerts.Where(a => SloAlertQuality.Matches(a, x.Significant, grace)).OrderBy(a => a.NotifiedAt).ToList();
            var counted = incidents.Values.Where(i => SloAlertQuality.Counts(i, x.Significant, grace) || alerts.Any(a => a.IncidentId == i.Id))
                .OrderBy(i => i.OpenedAt)
                .Select(i => new BudgetEventIncident(i.Id, i.Title, i.Declared, i.OpenedAt, i.Status))
                .ToList();
            return new BudgetEventMatches(x.Event.Start, x.Event.End, x.Event.Bad, x.Event.Spent,
                alerts.Select(a => new BudgetEventAlert(a.Id, a.IncidentId!.Value, a.AlertName, a.NotifiedAt, a.ResolvedAt)).ToList(), counted);
        }).ToList();
        return Results.Ok(new BudgetEventsAnswer(slo.Name, slo.Service, from, to, grace.TotalSeconds, answer));
    }
}
