using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

public sealed record TeamToilReport(
    string Team, DateTimeOffset From, DateTimeOffset To, string Bucket, double Cap, int Minutes, IReadOnlyList<ToilBucketRow> Buckets);

public static class GetTeamToilEndpoint
{
    private const int MaxBuckets = 260;

    /// <summary>The range asked for, its gaps filled with the defaults.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End, ToilBucket Kind) Range(
        Instant? from, Instant? to, QueryEnum<ToilBucket>? bucket, TimeProvider clock)
    {
        var kind = bucket?.Value ?? ToilBucket.Week;
        var end = to?.Value ?? clock.GetUtcNow();
        return (from?.Value ?? TeamToil.BucketStart(end, kind).AddDays(-7 * 11), end, kind);
    }

    public static ProblemDetails Validate(Instant? from, Instant? to, QueryEnum<ToilBucket>? bucket, TimeProvider clock)
    {
        var (start, end, kind) = Range(from, to, bucket, clock);
        if (start >= end) return Problems.InvalidDetails("from", "must be before to.");
        if ((end - start).TotalDays / (kind == ToilBucket.Week ? 7 : 28) > MaxBuckets)
            return Problems.InvalidDetails("from", $"the range spans more than {MaxBuckets} buckets.");
        return WolverineContinue.NoProblems;
    }

    /// <summary>
    /// The team's toil per UTC week (Monday) or month in [from, to) (default: the last 12 weeks): minutes, share of
    /// the team's working time as it was in that bucket, over the 50% cap or not, and minutes by category.
    /// </summary>
    [WolverineGet("/api/v1/teams/{team}/toil")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string team, Instant? from, Instant? to, QueryEnum<ToilBucket>? bucket, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var (start, end, kind) = Range(from, to, bucket, clock);
        return await Report(team, start, end, kind, session, http.RequestAborted) is { } report
            ? Results.Ok(report)
            : Problems.NotFound($"No team named '{team}' and no toil recorded for it.");
    }

    /// <summary>The team's report over [start, end): what this endpoint answers and the UI's overview shows; null for a
    /// team that is neither set nor has toil recorded.</summary>
    public static async Task<TeamToilReport?> Report(
        string team, DateTimeOffset start, DateTimeOffset end, ToilBucket kind, IQuerySession session, CancellationToken ct)
    {
        var teamDoc = await session.LoadAsync<Team>(Team.IdFor(team), ct);
        var first = TeamToil.BucketStart(start, kind);
        var entries = await session.Query<ToilEntry>()
            .Where(e => e.Team == team && e.PerformedAt >= first && e.PerformedAt < end)
            .ToListAsync(ct);
        if (teamDoc is null && entries.Count == 0) return null;
        var rows = TeamToil.Report(entries, teamDoc?.Capacity ?? [], start, end, kind);
        return new TeamToilReport(team, first, rows[^1].End, kind.ToString().ToLowerInvariant(), TeamToil.Cap, rows.Sum(r => r.Minutes), rows);
    }
}
