using Marten.Schema;
using Weasel.Postgresql.Tables;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>
/// The slices of one SLO that end in one hour, summed (<see cref="HourlyRollup"/>): an Occurrences status sums
/// about 720 of these for 30 days instead of 43,200 minute slices.
/// </summary>
public sealed record SliHour(string Id, Guid SloId, DateTimeOffset Hour, long Good, long Total, DateTimeOffset FirstStart, DateTimeOffset LastRecordedAt)
{
    public static string IdOf(Guid sloId, DateTimeOffset hour) => $"{sloId:N}:{hour.UtcTicks}";

    public HourTally ToTally() => new(Hour, Good, Total, FirstStart, LastRecordedAt);

    public static SliHour From(string id, Guid sloId, HourTally t) => new(id, sloId, t.Hour, t.Good, t.Total, t.FirstStart, t.LastRecordedAt);

    /// <summary>Called by Marten when it maps the document: read as columns (SliceStore), by SLO and hour.</summary>
    public static void ConfigureMarten(DocumentMapping<SliHour> mapping)
    {
        var before = mapping.Indexes.Count;
        mapping.Duplicate(x => x.SloId);
        mapping.Duplicate(x => x.Hour);
        mapping.Duplicate(x => x.Good);
        mapping.Duplicate(x => x.Total);
        mapping.Duplicate(x => x.FirstStart);
        mapping.Duplicate(x => x.LastRecordedAt);
        var added = mapping.Indexes.Skip(before).ToList();
        foreach (var index in added) mapping.Indexes.Remove(index);
        mapping.Indexes.Add(new IndexDefinition($"{mapping.TableName.Name}_idx_slo_id_hour") { Columns = [added[0].Columns![0], added[1].Columns![0]] });
    }
}
