using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Host.Alertmanager;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>
/// An incident now, or with <c>?at=</c> as it was at that instant: rebuilt from the events recorded up to then
/// (by the time each event carries, so the answer does not depend on when the database stored it).
/// <c>sloBudgets</c> gives the share of each linked SLO's budget the incident spent up to its resolution;
/// <c>budgetEvents</c> the budget events it or its alerts count for (<see cref="IncidentBudgetEvents"/>).
/// </summary>
public static class GetIncidentEndpoint
{
    [WolverineGet("/api/v1/incidents/{id}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        Guid id, Instant? at, IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        IOptions<AlertmanagerOptions> alertmanager, HttpContext http)
    {
        var instant = at?.Value;
        if (instant is null)
        {
            // The budget an open incident spent moves with the clock: one entry per minute, dropped by any SLO change.
            var now = clock.GetUtcNow();
            var current = await cache.GetOrLoad(new CacheKey("incident", id.ToString("N"), CacheTags.Minute(now)),
                [CacheTags.Stream(id), CacheTags.Slos], async () =>
                    await session.LoadAsync<Incident>(id, http.RequestAborted) is { } incident
                        ? new Rendered(await Render(incident, await IncidentJson.AlertsOf(session, id, http.RequestAborted), now, session, slices,
                            json.Value.SerializerOptions, alertmanager.Value.ServiceLabel, http.RequestAborted), incident.Version)
                        : null);
            if (current is null) return Problems.NotFound($"No incident {id}.");
            http.Response.Headers.ETag = IncidentJson.ETag(current.Version);
            return Results.Text(current.Json, "application/json");
        }

        var events = await session.Events.FetchStreamAsync(id, token: http.RequestAborted);
        if (events.Count == 0) return Problems.NotFound($"No incident {id}.");
        var upTo = events.Where(e => e.Data is IIncidentEvent ie && ie.At <= instant).Select(e => e.Version).DefaultIfEmpty(0).Max();
        if (upTo == 0) return Problems.NotFound($"Incident {id} was not open yet at {instant:O}.");
        var then = await session.Events.AggregateStreamAsync<Incident>(id, version: upTo, token: http.RequestAborted);
        var alertsThen = IncidentAlerts.Fold(id, events.Where(e => e.Version <= upTo).Select(e => e.Data));
        return Results.Text(await Render(then!, alertsThen, instant.Value, session, slices, json.Value.SerializerOptions,
            alertmanager.Value.ServiceLabel, http.RequestAborted, asOf: instant), "application/json");
    }

    private sealed record Rendered(string Json, long Version);

    private static async Task<string> Render(Incident incident, IReadOnlyList<IncidentAlert> alerts,
        DateTimeOffset now, IQuerySession session, SliceStore slices, JsonSerializerOptions options, string serviceLabel, CancellationToken ct, DateTimeOffset? asOf = null)
    {
        var node = IncidentJson.Render(incident, alerts, options);
        node["sloBudgets"] = JsonSerializer.SerializeToNode(await IncidentSloSpend.For(session, slices, incident, now, ct), options);
        node["budgetEvents"] = JsonSerializer.SerializeToNode(await IncidentBudgetEvents.For(session, incident, alerts, serviceLabel, asOf, ct), options);
        return node.ToJsonString(options);
    }
}
