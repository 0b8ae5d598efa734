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

    /// <summary>
    /// Insert an hour, or add it to the hour already stored: the sums add up, the first start is the earliest, the last
    /// recording the latest (<see cref="HourlyRollup.Add"/>), in the columns and in the document alike. Parameters: id,
    /// document, .NET type, then the columns as <see cref="ConfigureMarten"/> lists them.
    /// </summary>
    public static string AddSql(string schema) => $"""
        insert into {schema}.mt_doc_slihour as h (id, data, mt_dotnet_type, slo_id, hour, good, total, first_start, last_recorded_at)
        values (?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
        on conflict (id) do update set
          good = h.good + excluded.good,
          total = h.total + excluded.total,
          first_start = least(h.first_start, excluded.first_start),
          last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at),
          mt_last_modified = transaction_timestamp(),
          mt_version = h.mt_version + 1,
          data = h.data || jsonb_build_object(
            '{nameof(Good)}', h.good + excluded.good,
            '{nameof(Total)}', h.total + excluded.total,
            '{nameof(FirstStart)}', least(h.first_start, excluded.first_start),
            '{nameof(LastRecordedAt)}', greatest(h.last_recorded_at, excluded.last_recorded_at))
        """;

    /// <summary>Called by Marten when it maps the document: read as columns (SliceStore), by SLO and hour.</summary>
    public static void ConfigureMarten(DocumentMapping<SliHour> mapping)
    {
        var c = DuplicatedColumns.Add(mapping, x => x.SloId, x => x.Hour, x => x.Good, x => x.Total, x => x.FirstStart, x => x.LastRecordedAt);
        DuplicatedColumns.Index(mapping, "slo_id_hour", c[0], c[1]);
    }
}
