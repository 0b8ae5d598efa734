using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

public sealed record TopToil(TimeSpan Window, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ToilCandidate> TaskKeys);

public static class GetTopToilEndpoint
{
    /// <summary>The automation candidates: task keys by total minutes over the window (default 90d), optionally of one team.</summary>
    [WolverineGet("/api/v1/toil/top")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string? window, string? team, int? limit, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var args = new QueryArguments();
        var span = args.Window("window", window, TimeSpan.FromDays(90));
        var count = args.Number("limit", limit, 20, 1, 500);
        if (args.IsValid && (span <= TimeSpan.Zero || span > TimeSpan.FromDays(3660))) args.Errors["window"] = ["must be between 1m and 3660d."];
        if (!args.IsValid) return Problems.Invalid(args.Errors);

        var now = clock.GetUtcNow();
        var since = now - span;
        var query = session.Query<ToilEntry>().Where(e => e.PerformedAt >= since && e.PerformedAt <= now);
        if (!string.IsNullOrEmpty(team)) query = query.Where(e => e.Team == team);
        var entries = await query.ToListAsync(http.RequestAborted);
        var keys = entries.Select(e => e.TaskKey).Distinct().ToArray();
        var automations = await session.Query<ToilAutomation>().Where(a => keys.Contains(a.TaskKey)).ToListAsync(http.RequestAborted);
        return Results.Ok(new TopToil(span, since, now, ToilCandidates.Top(entries, automations.ToList(), count)));
    }
}
