using JasperFx.Events;
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
        return Results.Ok(Entries(events));
    }

    /// <summary>The entries of an incident's stream, in order (the UI's timeline shows these).</summary>
    public static IReadOnlyList<TimelineEntry> Entries(IEnumerable<IEvent> events) => events
        .Where(e => e.Data is IIncidentEvent)
        .Select(e => new TimelineEntry(e.Version, e.Data.GetType().Name, ((IIncidentEvent)e.Data).At, ((IIncidentEvent)e.Data).By, e.Data))
        .ToList();
}
