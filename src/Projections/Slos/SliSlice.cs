using Marten.Schema;
using Weasel.Postgresql.Tables;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>One recorded SLI slice, queried by SLO and end time; RecordedAt lets a past instant ignore data that came later.</summary>
public sealed record SliSlice(string Id, Guid SloId, DateTimeOffset Start, DateTimeOffset End, long Good, long Total, DateTimeOffset RecordedAt)
{
    public static string IdOf(Guid sloId, DateTimeOffset start, DateTimeOffset end) => $"{sloId:N}:{start.UtcTicks}:{end.UtcTicks}";

    public SliceObservation ToObservation() => new(Start, End, Good, Total);

    /// <summary>
    /// Called by Marten when it maps the document. Status reads select the duplicated columns directly (SliceStore):
    /// no JSON to parse for thousands of slices. They filter on the SLO and the end time, so one index on both serves
    /// them (and the SLO and the start, for the definition's cut); Marten would index every duplicated column, and
    /// each index is paid on every slice written.
    /// </summary>
    public static void ConfigureMarten(DocumentMapping<SliSlice> mapping)
    {
        var before = mapping.Indexes.Count;
        mapping.Duplicate(x => x.SloId);
        mapping.Duplicate(x => x.End);
        mapping.Duplicate(x => x.Start);
        mapping.Duplicate(x => x.Good);
        mapping.Duplicate(x => x.Total);
        mapping.Duplicate(x => x.RecordedAt);
        var added = mapping.Indexes.Skip(before).ToList();
        string Column(int duplicate) => added[duplicate].Columns![0];
        foreach (var index in added) mapping.Indexes.Remove(index);
        mapping.Indexes.Add(new IndexDefinition($"{mapping.TableName.Name}_idx_slo_id_end") { Columns = [Column(0), Column(1)] });
        // Slices that start before the SLO's definition never count: history backfilled before it is skipped, not read.
        mapping.Indexes.Add(new IndexDefinition($"{mapping.TableName.Name}_idx_slo_id_start") { Columns = [Column(0), Column(2)] });
    }
}
