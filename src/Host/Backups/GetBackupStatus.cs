using Marten;
using Sre.Domain.Backups;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Backups;

public static class GetBackupStatusEndpoint
{
    /// <summary>
    /// Newest completed backup and its age, fresh or stale against the RPO, last phase, success share over 30 days,
    /// missed runs, restore tests and recovery time; now, or <c>?at=</c> an earlier instant (within the kept history).
    /// Cached per minute, until the target's next event.
    /// </summary>
    [WolverineGet("/api/v1/backups/{target}/status")]
    public static async Task<IResult> Get(string target, string? at, IQuerySession session, ProjectionCache cache, TimeProvider clock, HttpContext http)
    {
        var args = new QueryArguments();
        var instant = args.Time("at", at);
        if (!args.IsValid) return Problems.Invalid(args.Errors);
        var now = clock.GetUtcNow();
        var when = instant ?? now;
        var id = BackupTarget.IdFor(target);
        var status = instant is not null
            ? await Load(session, id, when, http.RequestAborted)
            : await cache.GetOrLoad(new CacheKey("backup-status", target, CacheTags.Minute(now)), [CacheTags.Stream(id)],
                () => Load(session, id, now, http.RequestAborted));
        return status is null ? Problems.NotFound($"No backup target named '{target}'.") : Results.Ok(status);
    }

    private static async Task<BackupStatusReport?> Load(IQuerySession session, Guid id, DateTimeOffset at, CancellationToken ct) =>
        await session.LoadAsync<BackupTarget>(id, ct) is { } t ? BackupStatus.Of(t, at) : null;
}
