using Marten;
using Sre.Domain;
using Sre.Domain.Backups;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos;

namespace Sre.Host.Backups;

/// <summary>
/// The one path of backup reports and restore tests, for the endpoints and the bus consumer alike. A target's
/// writers (reports, restore tests, the monitor) meet on its stream version; the loser decides again on fresh state.
/// </summary>
public sealed class BackupWriter(IDocumentStore store, SliceStore slices, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public sealed record Outcome(BackupTarget? Target, bool Recorded, Dictionary<string, string[]> Errors);

    public Task<Outcome> Report(Contracts.RecordBackupReport r, CancellationToken ct) => TransientFaults.RetryOnConflict(MaxAttempts, async () =>
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        BackupRules.CheckTarget(r.Target, errors);
        FieldRules.CheckText("by", r.By, 200, errors);
        if (errors.Count > 0) return new Outcome(null, false, errors);

        await using var session = store.LightweightSession();
        var id = BackupTarget.IdFor(r.Target!);
        var stream = await session.Events.FetchForWriting<BackupTarget>(id, ct);
        var report = BackupRules.Report(stream.Aggregate?.Policy?.Kind, r.BackupName, r.Tool, r.Phase, r.StartedAt, r.CompletedAt, r.SizeBytes,
            r.Location, r.Errors, r.Warnings, r.EtcdRevision, r.EtcdHash, now, errors);
        if (report is null) return new Outcome(null, false, errors);

        var events = BackupMonitoring.Report(stream.Aggregate, r.Target!, report, now, r.By ?? report.Tool ?? "api");
        if (events.Count == 0) return new Outcome(stream.Aggregate, false, errors);
        if (stream.Aggregate is null) session.Events.StartStream<BackupTarget>(id, events.Cast<object>().ToArray());
        else stream.AppendMany(events.Cast<object>().ToArray());
        await session.SaveChangesAsync(ct);
        return new Outcome(await session.LoadAsync<BackupTarget>(id, ct), true, errors);
    });

    public Task<Outcome> RestoreTest(RecordRestoreTestRequest r, CancellationToken ct) => TransientFaults.RetryOnConflict(MaxAttempts, async () =>
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        BackupRules.CheckTarget(r.Target, errors);
        BackupRules.RestoreTest(r.BackupName, r.Succeeded, r.Duration, r.TestedAt, now, errors);
        FieldRules.CheckText("by", r.By, 200, errors);
        if (errors.Count > 0) return new Outcome(null, false, errors);

        await using var session = store.LightweightSession();
        var id = BackupTarget.IdFor(r.Target!);
        var stream = await session.Events.FetchForWriting<BackupTarget>(id, ct);
        if (stream.Aggregate is not { } target) return new Outcome(null, false, new() { ["target"] = [$"no backup target named '{r.Target}'."] });
        var tested = new RestoreTested(r.Target!, r.BackupName!, r.Succeeded!.Value, r.Duration!.Value, r.TestedAt ?? now, now, r.By ?? "api");
        if (target.RestoreTests.Contains(new RestoreTest(tested.BackupName, tested.Succeeded, tested.Duration, tested.TestedAt)))
            return new Outcome(target, false, errors);

        stream.AppendOne(tested);
        if (target.Policy?.Slos?.Durability is not null)
            await AppendSlices(session, slices, BackupSlos.DurabilityName(target.Name), [BackupSlos.RestoreSlice(tested)], now, ct);
        await session.SaveChangesAsync(ct);
        return new Outcome(await session.LoadAsync<BackupTarget>(id, ct), true, errors);
    });

    /// <summary>Appends the slices the SLO does not have yet (an SLO that was retired takes none).</summary>
    public static async Task AppendSlices(
        IDocumentSession session, SliceStore store, string sloName, IReadOnlyList<SliceObservation> slices, DateTimeOffset now, CancellationToken ct)
    {
        var sloId = SloIds.For(sloName);
        var slo = await session.Events.FetchForWriting<Slo>(sloId, ct);
        if (slo.Aggregate is not { IsRetired: false } || slices.Count == 0) return;
        var known = await store.Stored(slices.Select(s => (sloId, s.Start, s.End)).ToList(), ct);
        var fresh = slices.Where(s => !known.Contains((sloId, s.Start, s.End))).ToList();
        if (fresh.Count > 0) slo.AppendOne(new SliObserved(fresh, now, BackupMonitoring.Monitor));
    }
}
