using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

public sealed record AlertQualityReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AlertRuleQuality> Rules);

/// <summary>Per alertname over a window (default 30d): notifications, occurrences, incidents, precision, time to ack, reset time.</summary>
public static class GetAlertRuleQualityEndpoint
{
    [WolverineGet("/api/v1/alert-rules/quality")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(Duration? window, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var span = window?.Value ?? TimeSpan.FromDays(30);
        var to = clock.GetUtcNow();
        var from = to - span;
        var incidents = await session.Query<Incident>().Where(i => i.Opened.At >= from).ToListAsync(http.RequestAborted);
        var ids = incidents.Select(i => i.Id).ToArray();
        var alerts = await session.Query<IncidentAlert>().Where(a => a.IncidentId.IsOneOf(ids)).ToListAsync(http.RequestAborted);
        return Results.Ok(new AlertQualityReport(from, to, AlertQuality.Compute(incidents, alerts)));
    }
}
