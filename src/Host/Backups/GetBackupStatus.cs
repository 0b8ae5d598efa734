using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Backups;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Backups;

public static class GetBackupStatusEndpoint
{
    /// <summary>
    /// Newest completed backup and its age, fresh or stale against the RPO, last phase, success share over 30 days,
    /// missed runs, restore tests and recovery time; now, or <c>?at=</c> an earlier instant: the target rebuilt from
    /// the events recorded up to then (by the time each event carries), so nothing recorded later shows.
    /// Cached per minute, until the target's next event.
    /// </summary>
    [WolverineGet("/api/v1/backups/{target}/status")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string target, Instant? at, IQuerySession session, ProjectionCache cache, TimeProvider clock, HttpContext http)
    {
        var instant = at?.Value;
        var now = clock.GetUtcNow();
        var id = BackupTarget.IdFor(target);
        var status = instant is { } when
            ? await Then(session, id, when, http.RequestAborted)
            : await cache.GetOrLoad(new CacheKey("backup-status", target, CacheTags.Minute(now)), [CacheTags.Stream(id)],
                async () => await session.LoadAsync<BackupTarget>(id, http.RequestAborted) is { } t ? BackupStatus.Of(t, now) : null);
        return status is null ? Problems.NotFound($"No backup target named '{target}'{(instant is null ? "" : $" at {instant:O}")}.") : Results.Ok(status);
    }

    private static async Task<BackupStatusReport?> Then(IQuerySession session, Guid id, DateTimeOffset at, CancellationToken ct)
    {
        var events = (await session.Events.FetchStreamAsync(id, token: ct)).Select(e => e.Data).OfType<IBackupEvent>().ToList();
        var upTo = events.FindLastIndex(e => e.At <= at);
        return BackupTarget.Fold(events.Take(upTo + 1)) is { } then ? BackupStatus.Of(then, at) : null;
    }
}
