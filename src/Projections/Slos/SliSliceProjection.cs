using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>
/// Files SliObserved batches into their hours (<see cref="SliHour"/>): each slice appended to the hour it ends in, and the
/// hour's sums added to, in one statement per transaction (inline) or rebuild page. Each hour it touches is written
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
        // A slice once per statement, whichever event of the page repeats it (the writers never do).
        var slices = new Dictionary<(Guid Slo, DateTimeOffset Start, DateTimeOffset End), (SliceObservation Slice, DateTimeOffset At)>();
        foreach (var e in events)
            if (e.Data is SliObserved observed)
                foreach (var s in observed.Slices)
                    slices[(e.StreamId, s.Start, s.End)] = (s, observed.At);
        if (slices.Count == 0) return Task.CompletedTask;

        var hours = new Dictionary<string, SliHour>();
        var ids = new string[slices.Count];
        var i = 0;
        foreach (var ((slo, _, _), (slice, at)) in slices)
        {
            var hour = HourlyRollup.Add(null, slice, at);
            var id = ids[i++] = SliHour.IdOf(slo, hour.Hour);
            hours[id] = SliHour.From(id, slo, hours.TryGetValue(id, out var before) ? HourlyRollup.Merge(before.ToTally(), hour) : hour);
        }

        var serializer = ops.DocumentStore.Options.Serializer();
        var all = slices.Values;
        var rows = hours.Values;
        ops.QueueSqlCommand(SliHour.AddSql(ops.DocumentStore.Options.DatabaseSchemaName),
            ids, all.Select(s => s.Slice.Start).ToArray(), all.Select(s => s.Slice.End).ToArray(),
            all.Select(s => s.Slice.Good).ToArray(), all.Select(s => s.Slice.Total).ToArray(), all.Select(s => s.At).ToArray(),
            typeof(SliHour).FullName!,
            rows.Select(h => h.Id).ToArray(), rows.Select(h => serializer.ToJson(h)).ToArray(), rows.Select(h => h.SloId).ToArray(),
            rows.Select(h => h.Hour).ToArray(), rows.Select(h => h.Good).ToArray(), rows.Select(h => h.Total).ToArray(),
            rows.Select(h => h.FirstStart).ToArray(), rows.Select(h => h.LastRecordedAt).ToArray());
        return Task.CompletedTask;
    }
}
