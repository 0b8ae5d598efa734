using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Backups;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Backups;

public static class ListBackupsEndpoint
{
    /// <summary>Every target's status, stalest first: targets with no completed backup, then by the age of the newest.</summary>
    [WolverineGet("/api/v1/backups")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(IQuerySession session, TimeProvider clock, HttpContext http) =>
        Results.Ok(await Statuses(session, clock.GetUtcNow(), http.RequestAborted));

    /// <summary>Every target's status at <paramref name="now"/>, stalest first: what this endpoint answers and the UI's overview shows.</summary>
    public static async Task<IReadOnlyList<BackupStatusReport>> Statuses(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var targets = await session.Query<BackupTarget>().ToListAsync(ct);
        return targets
            .Select(t => BackupStatus.Of(t, now))
            .OrderBy(s => s.NewestCompleted is null ? 0 : 1)
            .ThenByDescending(s => s.Age)
            .ThenBy(s => s.Target, StringComparer.Ordinal)
            .ToList();
    }
}
