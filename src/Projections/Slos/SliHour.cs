using Marten.Schema;
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
        var c = DuplicatedColumns.Add(mapping, x => x.SloId, x => x.Hour, x => x.Good, x => x.Total, x => x.FirstStart, x => x.LastRecordedAt);
        DuplicatedColumns.Index(mapping, "slo_id_hour", c[0], c[1]);
    }
}
