using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Backups;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Projections.Slos;

namespace Sre.Host.Backups;

/// <summary>Configuration section "Backups".</summary>
public sealed class BackupOptions
{
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00"), Display(Name = "Backups:MonitorInterval")]
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How far back the freshness SLI is filled in after the service was down.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "366.00:00:00"), Display(Name = "Backups:MaxFreshnessBackfill")]
    public TimeSpan MaxFreshnessBackfill { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// The clock's side of backups: every minute, each target records the runs it missed and a change of freshness
/// (once per transition: two processes meet on the stream version), and its freshness SLO gets the minutes since
/// the last ones it has.
/// </summary>
public sealed class BackupMonitor(
    IDocumentStore store, TimeProvider clock, SloEvaluator evaluator, IOptions<BackupOptions> options, ILogger<BackupMonitor> logger)
    : BackgroundService
{
    public async Task SweepAll(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var ids = await query.Query<BackupTarget>().Where(t => t.Policy != null).Select(t => t.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            try
            {
                var slo = await SweepOne(id, ct);
                if (slo is { } sloId) await evaluator.Evaluate([sloId], ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Checking backup target {TargetId} failed; the next sweep tries again", id);
            }
        }
    }

    // Another writer may record first: the sweep looks again at what it stored.
    private Task<Guid?> SweepOne(Guid id, CancellationToken ct) => TransientFaults.RetryOnConflict(3, async () =>
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<BackupTarget>(id, ct);
        if (stream.Aggregate is not { Policy: { } policy } target) return (Guid?)null;
        var now = clock.GetUtcNow();
        var events = BackupMonitoring.Sweep(target, now);
        if (events.Count > 0) stream.AppendMany(events.Cast<object>().ToArray());

        Guid? sloId = null;
        if (policy.Slos?.Freshness is not null)
        {
            var after = events.Aggregate(target, (t, e) => t.With(e));
            var name = BackupSlos.FreshnessName(target.Name);
            sloId = SloIds.For(name);
            var from = await FreshnessFrom(session, sloId.Value, now, ct);
            if (from is { } start)
                await BackupWriter.AppendSlices(session, name, BackupFreshness.Slices(after, start, now), now, ct);
        }
        await session.SaveChangesAsync(ct);
        return sloId;
    });

    /// <summary>Where the freshness SLI goes on from: the end of its newest slice, or the SLO's definition; at most a backfill ago.</summary>
    private async Task<DateTimeOffset?> FreshnessFrom(IDocumentSession session, Guid sloId, DateTimeOffset now, CancellationToken ct)
    {
        var newest = (await session.Query<SliSlice>().Where(s => s.SloId == sloId).OrderByDescending(s => s.End)
            .Take(1).ToListAsync(ct)).FirstOrDefault()?.End;
        var slo = await session.LoadAsync<Slo>(sloId, ct);
        if (slo is null) return null;
        var from = newest ?? slo.Defined.At;
        var earliest = now - options.Value.MaxFreshnessBackfill;
        return from > earliest ? from : earliest;
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.MonitorInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await SweepAll(stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "The backup sweep failed; retrying at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
