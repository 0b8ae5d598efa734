using Sre.Domain.Slos;

namespace Sre.Host.Slos;

/// <summary>What a status and an evaluation read of an SLO's slices (<see cref="SliceStore"/>, or <see cref="SlicesBeingCommitted"/>).</summary>
public interface ISliceReads
{
    /// <summary>
    /// Sums of good and total events of the slices that end after each start, up to <paramref name="at"/>, recorded by
    /// then and starting at or after the SLO's definition (<paramref name="definedAt"/>): every window of an Occurrences status.
    /// </summary>
    Task<IReadOnlyDictionary<DateTimeOffset, Tally>> Sums(
        Guid slo, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, CancellationToken ct);

    /// <summary>The slices of the SLO that end in (<paramref name="from"/>, <paramref name="to"/>], in no particular order.</summary>
    Task<IReadOnlyList<RecordedSlice>> Read(Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}

/// <summary>
/// The stored slices and those a transaction is about to commit, read as one: what an evaluation in the same transaction
/// as new slices (<see cref="Prometheus.SliPuller"/>) sees, exactly what it would read once they are committed. The
/// uncommitted slices must not overlap stored ones (a writer leaves out what is stored: <see cref="Domain.Slos.Pull.PulledSlices.WithoutStored"/>).
/// </summary>
public sealed class SlicesBeingCommitted(ISliceReads stored, Guid sloId, IReadOnlyList<RecordedSlice> uncommitted) : ISliceReads
{
    public async Task<IReadOnlyDictionary<DateTimeOffset, Tally>> Sums(
        Guid slo, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, CancellationToken ct)
    {
        var sums = await stored.Sums(slo, definedAt, at, starts, ct);
        if (slo != sloId) return sums;
        return sums.ToDictionary(w => w.Key, w =>
        {
            var counted = uncommitted.Where(s => HourlyRollup.Counts(s, w.Key, definedAt, at)).ToList();
            return counted.Count == 0 ? w.Value : new Tally(w.Value.Good + counted.Sum(s => s.Good), w.Value.Total + counted.Sum(s => s.Total));
        });
    }

    public async Task<IReadOnlyList<RecordedSlice>> Read(Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var slices = await stored.Read(slo, from, to, ct);
        return slo != sloId ? slices : [.. slices, .. uncommitted.Where(s => s.End > from && s.End <= to)];
    }
}

/// <summary>
/// The slices of one SLO that end in a span, read once (<see cref="SliceStore.Read"/>): every read of that SLO within the
/// span is answered from them, any other from the store. What a pull reads for its check of stored slices and for its
/// evaluation's search for budget events in one round trip.
/// </summary>
public sealed class SlicesReadAhead(ISliceReads store, Guid sloId, DateTimeOffset spanFrom, DateTimeOffset spanTo, IReadOnlyList<RecordedSlice> slices) : ISliceReads
{
    /// <summary>Reads the slices of <paramref name="slo"/> that end in (<paramref name="from"/>, <paramref name="to"/>] once.</summary>
    public static async Task<SlicesReadAhead> ReadOnce(ISliceReads store, Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        new(store, slo, from, to, await store.Read(slo, from, to, ct));

    public Task<IReadOnlyDictionary<DateTimeOffset, Tally>> Sums(
        Guid slo, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, CancellationToken ct) =>
        store.Sums(slo, definedAt, at, starts, ct);

    public Task<IReadOnlyList<RecordedSlice>> Read(Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        slo == sloId && from >= spanFrom && to <= spanTo
            ? Task.FromResult<IReadOnlyList<RecordedSlice>>([.. slices.Where(s => s.End > from && s.End <= to)])
            : store.Read(slo, from, to, ct);
}
