using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

public sealed record TopToil(TimeSpan Window, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ToilCandidate> TaskKeys);

public static class GetTopToilEndpoint
{
    public static ProblemDetails Validate(Duration? window, int? limit) =>
        window?.Value > TimeSpan.FromDays(3660) ? Problems.InvalidDetails("window", "must be between 1m and 3660d.")
        : Problems.OutOfRange(("limit", limit, 1, 500));

    /// <summary>The automation candidates: task keys by total minutes over the window (default 90d), optionally of one team.</summary>
    [WolverineGet("/api/v1/toil/top")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        Duration? window, string? team, int? limit, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var span = window?.Value ?? TimeSpan.FromDays(90);
        var count = limit ?? 20;

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
