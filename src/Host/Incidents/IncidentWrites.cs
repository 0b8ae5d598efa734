using Marten;
using Sre.Domain.Incidents;
using Sre.Host.Operations;

namespace Sre.Host.Incidents;

/// <summary>
/// The shared path of every incident command: load the stream for writing, check the version the caller
/// expects (body <c>expectedVersion</c>: 409; <c>If-Match</c>: 412), decide, append, commit, answer the new state.
/// A concurrent commit between load and save fails the append (409), never overwrites.
/// </summary>
public static class IncidentWrites
{
    public static async Task<IResult> Decide(
        Guid id, long? expectedVersion, HttpContext http, IDocumentSession session, Func<Incident, Decision> decide)
    {
        var stream = await session.Events.FetchForWriting<Incident>(id, http.RequestAborted);
        if (stream.Aggregate is not { } incident) return Problems.NotFound($"No incident {id}.");
        var version = stream.CurrentVersion ?? 0;

        if (IfMatch(http) is { } tag && tag != ETag(version))
            return Problems.PreconditionFailed($"If-Match {tag} does not match the incident's version {ETag(version)}.");
        if (expectedVersion is { } expected && expected != version)
            return Problems.Conflict($"Expected version {expected}, but the incident is at version {version}.");

        var decision = decide(incident);
        if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);

        if (decision.Events.Count > 0)
        {
            stream.AppendMany(decision.Events);
            await session.SaveChangesAsync(http.RequestAborted);
        }
        var updated = IncidentEvolution.Fold(incident, decision.Events) with { Version = version + decision.Events.Count };
        http.Response.Headers.ETag = ETag(updated.Version);
        return Results.Ok(updated);
    }

    public static string ETag(long version) => $"\"{version}\"";

    private static string? IfMatch(HttpContext http) =>
        http.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value.Trim() : null;
}
