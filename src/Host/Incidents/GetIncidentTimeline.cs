using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

public sealed record TimelineEntry(long Version, string Type, DateTimeOffset At, string By, object Details);

/// <summary>The incident's stream, in order: every change with its type, time, actor and details.</summary>
public static class GetIncidentTimelineEndpoint
{
    [WolverineGet("/api/v1/incidents/{id}/timeline")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http)
    {
        var events = await session.Events.FetchStreamAsync(id, token: http.RequestAborted);
        if (events.Count == 0) return Problems.NotFound($"No incident {id}.");
        var entries = events
            .Where(e => e.Data is IIncidentEvent)
            .Select(e => (Event: e, Data: (IIncidentEvent)e.Data))
            .Select(x => new TimelineEntry(x.Event.Version, x.Event.Data.GetType().Name, x.Data.At, x.Data.By, x.Event.Data))
            .ToList();
        return Results.Ok(entries);
    }
}
