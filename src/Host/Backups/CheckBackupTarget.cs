using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Backups;
using Sre.Domain.Slos;
using Sre.Host.Slos;
using Wolverine;

namespace Sre.Host.Backups;

/// <summary>Record what the clock brings to a backup target now.</summary>
public sealed record CheckBackupTarget(Guid TargetId);

/// <summary>
/// Appends the runs the target missed and a change of its freshness (<see cref="BackupMonitoring.Sweep"/>), and gives
/// its freshness SLO the minutes since the last ones it has, whose evaluation is queued in the same commit. Two
/// checks (two processes) meet on the stream version: the loser is retried, reads again, and finds each transition
/// recorded once.
/// </summary>
public static class CheckBackupTargetHandler
{
    public static async Task Handle(
        CheckBackupTarget message, IDocumentSession session, SliceStore slices, IMessageBus bus, TimeProvider clock, IOptions<BackupOptions> options,
        CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<BackupTarget>(message.TargetId, ct);
        if (stream.Aggregate is not { Policy: { } policy } target) return;
        var now = clock.GetUtcNow();
        var events = BackupMonitoring.Sweep(target, now);
        if (events.Count > 0) stream.AppendMany(events.Cast<object>().ToArray());

        if (policy.Slos?.Freshness is not null)
        {
            var after = events.Aggregate(target, (t, e) => t.With(e));
            var name = BackupSlos.FreshnessName(target.Name);
            var sloId = SloIds.For(name);
            if (await FreshnessFrom(session, slices, sloId, now - options.Value.MaxFreshnessBackfill, ct) is { } start)
                await BackupWriter.AppendSlices(session, slices, name, BackupFreshness.Slices(after, start, now), now, ct);
            await bus.EvaluateOnCommit([sloId]);
        }
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Where the freshness SLI goes on from: the end of its newest slice, or the SLO's definition; not before <paramref name="earliest"/>.</summary>
    private static async Task<DateTimeOffset?> FreshnessFrom(IDocumentSession session, SliceStore slices, Guid sloId, DateTimeOffset earliest, CancellationToken ct)
    {
        var newest = await slices.LastEnd(sloId, ct);
        var slo = await session.LoadAsync<Slo>(sloId, ct);
        if (slo is null) return null;
        var from = newest ?? slo.Defined.At;
        return from > earliest ? from : earliest;
    }
}
