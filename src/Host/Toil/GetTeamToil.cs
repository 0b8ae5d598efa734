using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

public sealed record TeamToilReport(
    string Team, DateTimeOffset From, DateTimeOffset To, string Bucket, double Cap, int Minutes, IReadOnlyList<ToilBucketRow> Buckets);

public static class GetTeamToilEndpoint
{
    private const int MaxBuckets = 260;

    /// <summary>
    /// The team's toil per UTC week (Monday) or month in [from, to) (default: the last 12 weeks): minutes, share of
    /// the team's working time as it was in that bucket, over the 50% cap or not, and minutes by category.
    /// </summary>
    [WolverineGet("/api/v1/teams/{team}/toil")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string team, string? from, string? to, string? bucket, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var args = new QueryArguments();
        var kind = args.Enum<ToilBucket>("bucket", bucket) ?? ToilBucket.Week;
        var end = args.Time("to", to) ?? clock.GetUtcNow();
        var start = args.Time("from", from) ?? TeamToil.BucketStart(end, kind).AddDays(-7 * 11);
        if (args.IsValid && start >= end) args.Errors["from"] = ["must be before to."];
        if (args.IsValid && (end - start).TotalDays / (kind == ToilBucket.Week ? 7 : 28) > MaxBuckets)
            args.Errors["from"] = [$"the range spans more than {MaxBuckets} buckets."];
        if (!args.IsValid) return Problems.Invalid(args.Errors);

        var ct = http.RequestAborted;
        var teamDoc = await session.LoadAsync<Team>(Team.IdFor(team), ct);
        var first = TeamToil.BucketStart(start, kind);
        var entries = await session.Query<ToilEntry>()
            .Where(e => e.Team == team && e.PerformedAt >= first && e.PerformedAt < end)
            .ToListAsync(ct);
        if (teamDoc is null && entries.Count == 0) return Problems.NotFound($"No team named '{team}' and no toil recorded for it.");

        var rows = TeamToil.Report(entries, teamDoc?.Capacity ?? [], start, end, kind);
        return Results.Ok(new TeamToilReport(team, first, rows[^1].End, kind.ToString().ToLowerInvariant(), TeamToil.Cap,
            rows.Sum(r => r.Minutes), rows));
    }
}
