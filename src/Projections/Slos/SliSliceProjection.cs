using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>
/// Files SliObserved batches into their hours (<see cref="SliHour"/>): each slice appended to the hour it ends in, and the
/// hour's sums added to (as <see cref="HourlyRollup"/> sums them), in one statement per transaction (inline) or rebuild page. Each hour it touches is written
/// once, in SQL (inserted, or added to the row already there), so no hour is read back. A slice is recorded once: the
/// writers append slices to the SLO's stream at the version they read and leave out those already stored (same SLO,
/// start and end), so adding is exact. A rebuild wipes the hours first.
/// </summary>
public sealed class SliSliceProjection : ProjectionBase, IProjection
{
    public SliSliceProjection()
    {
        Name = nameof(SliSliceProjection);
        IncludeType<SliObserved>();
        Options.DeleteViewTypeOnTeardown<SliHour>();
    }

    public Task ApplyAsync(IDocumentOperations ops, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        // Each slice to the hour it ends in (HourlyRollup.HourOf), the hours summed as they go: one pass, one entry per hour.
        var hours = new Dictionary<(Guid Slo, DateTimeOffset Hour), Hour>();
        var count = 0;
        foreach (var e in events)
            if (e.Data is SliObserved observed)
            {
                // Slices mostly come in order: the hour of the slice before is usually this one's.
                (DateTimeOffset From, DateTimeOffset To, Hour? Hour) last = default;
                foreach (var s in observed.Slices)
                {
                    if (last.Hour is null || s.End <= last.From || s.End > last.To)
                    {
                        var key = (e.StreamId, HourlyRollup.HourOf(s.End));
                        if (!hours.TryGetValue(key, out var found)) hours[key] = found = new Hour(SliHour.IdOf(key.StreamId, key.Item2));
                        last = (key.Item2, key.Item2 + HourlyRollup.Length, found);
                    }
                    last.Hour!.Add(s, observed.At);
                    count++;
                }
            }
        if (count == 0) return Task.CompletedTask;

        // The slices grouped by hour, each hour's from its first index to its last (from 1, as PostgreSQL counts).
        var (starts, ends, goods, totals, recorded) =
            (new DateTimeOffset[count], new DateTimeOffset[count], new long[count], new long[count], new DateTimeOffset[count]);
        var (firsts, lasts) = (new int[hours.Count], new int[hours.Count]);
        var (i, h) = (0, 0);
        foreach (var hour in hours.Values)
        {
            firsts[h] = i + 1;
            foreach (var (slice, at) in hour.Slices)
                (starts[i], ends[i], goods[i], totals[i], recorded[i++]) = (slice.Start, slice.End, slice.Good, slice.Total, at);
            lasts[h++] = i;
        }

        var serializer = ops.DocumentStore.Options.Serializer();
        var rows = hours.Select(x => SliHour.From(x.Value.Id, x.Key.Slo, x.Value.Tally())).ToList();
        ops.QueueSqlCommand(SliHour.AddSql(ops.DocumentStore.Options.DatabaseSchemaName),
            starts, ends, goods, totals, recorded,
            typeof(SliHour).FullName!,
            rows.Select(x => x.Id).ToArray(), rows.Select(x => serializer.ToJson(x)).ToArray(), rows.Select(x => x.SloId).ToArray(),
            rows.Select(x => x.Hour).ToArray(), rows.Select(x => x.Good).ToArray(), rows.Select(x => x.Total).ToArray(),
            rows.Select(x => x.FirstStart).ToArray(), rows.Select(x => x.LastRecordedAt).ToArray(), firsts, lasts);
        return Task.CompletedTask;
    }

    /// <summary>One hour's slices of this batch; their sums are <see cref="HourlyRollup.Add"/>'s.</summary>
    private sealed class Hour(string id)
    {
        public string Id { get; } = id;
        public List<(SliceObservation Slice, DateTimeOffset At)> Slices { get; } = [];

        public void Add(SliceObservation slice, DateTimeOffset at) => Slices.Add((slice, at));

        public HourTally Tally() => Slices.Aggregate((HourTally?)null, (tally, s) => HourlyRollup.Add(tally, s.Slice, s.At))!;
    }
}
