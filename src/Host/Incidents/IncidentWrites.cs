using Marten;
using Sre.Domain.Incidents;
using Sre.Host.Operations;

namespace Sre.Host.Incidents;

/// <summary>
/// The shared path of every incident command: load the incident, check the version the caller
/// expects (body <c>expectedVersion</c>: 409; <c>If-Match</c>: 412), decide, append, commit, answer the new state
/// with its alerts (as GET answers it).
/// A concurrent commit between load and save fails the append (409), never overwrites.
/// </summary>
public static class IncidentWrites
{
    public static Task<IResult> Decide(
        Guid id, long? expectedVersion, HttpContext http, IDocumentSession session, Func<Incident, Decision> decide) =>
        Decide(id, expectedVersion, http, session, (incident, _) => decide(incident));

    /// <summary>A decision that needs the incident's alerts (triage).</summary>
    public static async Task<IResult> Decide(
        Guid id, long? expectedVersion, HttpContext http, IDocumentSession session, Func<Incident, IReadOnlyList<IncidentAlert>, Decision> decide)
    {
        // The document is kept in the events' transaction, so its version is the stream's.
        if (await session.LoadAsync<Incident>(id, http.RequestAborted) is not { } incident) return Problems.NotFound($"No incident {id}.");
        var version = incident.Version;

        if (IfMatch(http) is { } tag && tag != ETag(version))
            return Problems.PreconditionFailed($"If-Match {tag} does not match the incident's version {ETag(version)}.");
        if (expectedVersion is { } expected && expected != version)
            return Problems.Conflict($"Expected version {expected}, but the incident is at version {version}.");

        // Read after the incident: an alert committed in between moves the version, and the append below then fails.
        var alerts = await IncidentJson.AlertsOf(session, id, http.RequestAborted);
        var decision = decide(incident, alerts);
        if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);

        if (decision.Events.Count > 0)
        {
            // Marten checks at commit that nothing was appended since the load (409 otherwise).
            session.Events.Append(id, version + decision.Events.Count, decision.Events);
            await session.SaveChangesAsync(http.RequestAborted);
        }
        var updated = IncidentEvolution.Fold(incident, decision.Events) with { Version = version + decision.Events.Count };
        http.Response.Headers.ETag = ETag(updated.Version);
        var options = IncidentJson.Options(http);
        return Results.Text(IncidentJson.Render(updated, IncidentAlerts.Fold(alerts, id, decision.Events), options).ToJsonString(options),
            "application/json");
    }

    public static string ETag(long version) => $"\"{version}\"";

    private static string? IfMatch(HttpContext http) =>
        http.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value.Trim() : null;
}
