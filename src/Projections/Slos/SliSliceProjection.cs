using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>
/// Spreads SliObserved batches into one document per slice (written in one statement, <see cref="ManyDocuments"/>) and
/// adds them to the hourly sums (<see cref="SliHour"/>), in one pass over the events: a rebuild reads and deserialises the observations once for both read models. Marten
/// hands it a transaction's events (inline) or a page of them (rebuild); each hour they touch is added to once, in
/// SQL (insert, or add to the row already there), so no hour is read back first. A slice is recorded once
/// (ObservationWriter skips one already recorded), so adding is exact, and a slice's document is inserted, never
/// replaced: a slice recorded twice would fail its transaction rather than count twice. A rebuild wipes both tables first.
/// </summary>
public sealed class SliSliceProjection : ProjectionBase, IProjection
{
    public SliSliceProjection()
    {
        Name = nameof(SliSliceProjection);
        IncludeType<SliObserved>();
        Options.DeleteViewTypeOnTeardown<SliSlice>();
        Options.DeleteViewTypeOnTeardown<SliHour>();
    }

    public Task ApplyAsync(IDocumentOperations ops, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        // By id: one statement cannot write a row twice.
        var byId = new Dictionary<string, SliSlice>();
        var hours = new Dictionary<string, SliHour>();
        foreach (var e in events)
        {
            if (e.Data is not SliObserved observed) continue;
            foreach (var s in observed.Slices)
            {
                var slice = new SliSlice(SliSlice.IdOf(e.StreamId, s.Start, s.End), e.StreamId, s.Start, s.End, s.Good, s.Total, observed.At);
                byId[slice.Id] = slice;
            }
            foreach (var tally in HourlyRollup.Hours(observed.Slices, observed.At))
            {
                var id = SliHour.IdOf(e.StreamId, tally.Hour);
                hours[id] = SliHour.From(id, e.StreamId, hours.TryGetValue(id, out var before) ? HourlyRollup.Merge(before.ToTally(), tally) : tally);
            }
        }

        var slices = byId.Values.ToList();
        ManyDocuments.Insert(ops, slices, x => x.Id,
            new("slo_id", "uuid", slices.Select(x => x.SloId).ToArray()),
            new("end", "timestamptz", slices.Select(x => x.End).ToArray()),
            new("start", "timestamptz", slices.Select(x => x.Start).ToArray()),
            new("good", "bigint", slices.Select(x => x.Good).ToArray()),
            new("total", "bigint", slices.Select(x => x.Total).ToArray()),
            new("recorded_at", "timestamptz", slices.Select(x => x.RecordedAt).ToArray()));

        var sql = SliHour.AddSql(ops.DocumentStore.Options.DatabaseSchemaName);
        var serializer = ops.DocumentStore.Options.Serializer();
        foreach (var hour in hours.Values)
            ops.QueueSqlCommand(sql, hour.Id, serializer.ToJson(hour), typeof(SliHour).FullName!,
                hour.SloId, hour.Hour, hour.Good, hour.Total, hour.FirstStart, hour.LastRecordedAt);
        return Task.CompletedTask;
    }
}
