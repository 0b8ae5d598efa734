using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Alertmanager;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>The answer of <c>GET /api/v1/alert-rules/quality</c>: the window and a row per alert rule (<see cref="AlertRuleQuality"/>).</summary>
public sealed record AlertQualityReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AlertRuleQuality> Rules);

/// <summary>
/// Per alertname over a window (default 30d) of incidents opened in it: notifications, occurrences, incidents, triage
/// precision, time to acknowledge, reset time; noisiest rules first. Each rule's <c>measures</c> are the four measures of
/// <c>GET /api/v1/alert-quality</c> over the same window (precision with its evidence, recall, detection and reset time
/// against the budget events and declared incidents), the same numbers as that endpoint's <c>rules</c>.
/// </summary>
public static class GetAlertRuleQualityEndpoint
{
    /// <summary>400 for a window that is not a duration of 1m to 90d (the budget events an SLO keeps).</summary>
    public static ProblemDetails Validate(Duration? window) => GetAlertQualityEndpoint.Validate(window);

    [WolverineGet("/api/v1/alert-rules/quality")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        Duration? window, IQuerySession session, TimeProvider clock, IOptions<AlertmanagerOptions> alertmanager, HttpContext http) =>
        Results.Ok(await Report(window?.Value ?? TimeSpan.FromDays(30), clock.GetUtcNow(), session, alertmanager.Value.ServiceLabel, http.RequestAborted));

    /// <summary>The report over the <paramref name="span"/> up to <paramref name="to"/>: what this endpoint answers and the UI's overview shows.</summary>
    public static async Task<AlertQualityReport> Report(TimeSpan span, DateTimeOffset to, IQuerySession session, string serviceLabel, CancellationToken ct)
    {
        var from = to - span;
        var incidents = await session.Query<Incident>().Where(i => i.Opened.At >= from && i.MergedInto == null).ToListAsync(ct);
        var ids = incidents.Select(i => i.Id).ToArray();
        var alerts = await session.Query<IncidentAlert>().Where(a => a.IncidentId.IsOneOf(ids)).ToListAsync(ct);
        var inputs = await AlertQualityReads.Load(session, from, to, null, null, serviceLabel, ct);
        var measures = inputs.Measure(AlertMeasures.DefaultGrace).Rules.ToDictionary(r => r.Key);
        var rules = AlertQuality.Compute(incidents, alerts).Select(r => r with { Measures = measures.GetValueOrDefault(r.AlertName) }).ToList();
        return new AlertQualityReport(from, to, rules);
    }
}
