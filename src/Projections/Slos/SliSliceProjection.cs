using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>
/// Spreads SliObserved batches into one document per slice and adds them to the hourly sums (<see cref="SliHour"/>),
/// in one pass over the events: a rebuild reads and deserialises the observations once for both read models. Marten
/// hands it a transaction's events (inline) or a page of them (rebuild); each hour they touch is added to once, in
/// SQL (insert, or add to the row already there), so no hour is read back first. A slice is recorded once
/// (ObservationWriter skips one already recorded), so adding is exact; a rebuild wipes both tables first.
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
        var hours = new Dictionary<string, SliHour>();
        foreach (var e in events)
        {
            if (e.Data is not SliObserved observed) continue;
            foreach (var s in observed.Slices)
                ops.Store(new SliSlice(SliSlice.IdOf(e.StreamId, s.Start, s.End), e.StreamId, s.Start, s.End, s.Good, s.Total, observed.At));
            foreach (var tally in HourlyRollup.Hours(observed.Slices, observed.At))
            {
                var id = SliHour.IdOf(e.StreamId, tally.Hour);
                hours[id] = SliHour.From(id, e.StreamId, hours.TryGetValue(id, out var before) ? HourlyRollup.Merge(before.ToTally(), tally) : tally);
            }
        }

        var sql = SliHour.AddSql(ops.DocumentStore.Options.DatabaseSchemaName);
        var serializer = ops.DocumentStore.Options.Serializer();
        foreach (var hour in hours.Values)
            ops.QueueSqlCommand(sql, hour.Id, serializer.ToJson(hour), typeof(SliHour).FullName!,
                hour.SloId, hour.Hour, hour.Good, hour.Total, hour.FirstStart, hour.LastRecordedAt);
        return Task.CompletedTask;
    }
}
