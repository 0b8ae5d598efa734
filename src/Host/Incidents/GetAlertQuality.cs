using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
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
/// significant events: the budget events the evaluator recorded (<see cref="BudgetEventRecorded"/>) and the declared
/// incidents, by <see cref="SloAlertQuality"/>.
/// <list type="bullet">
/// <item>Sources and scope: <see cref="AlertQualityReads"/> (the alert's service is its label <c>Alertmanager:ServiceLabel</c>).</item>
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

        var inputs = await AlertQualityReads.Load(session, from, to, service, slo, alertmanager.Value.ServiceLabel, ct);
        if (!string.IsNullOrEmpty(slo) && inputs.Slos.Count == 0 && await session.Query<Slo>().AnyAsync(s => s.Name == slo, ct) is false)
            return Problems.NotFound($"No SLO named '{slo}'.");

        var grace = AlertMeasures.DefaultGrace;
        var measures = inputs.Measure(grace);
        return Results.Ok(new AlertQualityAnswer(
            from, to, grace.TotalSeconds, NullIfEmpty(service), NullIfEmpty(slo),
            measures.Overall, measures.Rules, measures.Slos, measures.Services));
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
