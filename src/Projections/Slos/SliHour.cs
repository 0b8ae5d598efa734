using System.Text.Json.Serialization;
using Marten.Schema;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>
/// The slices of one SLO that end in one hour (Hour, Hour + 1h]: their sums (<see cref="HourlyRollup"/>: an Occurrences
/// status sums about 720 of these for 30 days instead of 43,200 minute slices) and the slices themselves, as five
/// parallel arrays in columns of their own (<c>slice_starts</c>, <c>slice_ends</c>, <c>slice_goods</c>,
/// <c>slice_totals</c>, <c>slice_recorded</c>; not in the JSON), in no particular order. One row per hour instead of one
/// per slice: a month of minute slices pulled from Prometheus is 720 rows written, not 43,200 rows and their indexes
/// (bench/RESULTS.md, "slices kept in their hour"). SliceStore reads the arrays of the hours that hold the slices a read needs.
/// </summary>
public sealed record SliHour(string Id, Guid SloId, DateTimeOffset Hour, long Good, long Total, DateTimeOffset FirstStart, DateTimeOffset LastRecordedAt)
{
    public static string IdOf(Guid sloId, DateTimeOffset hour) => $"{sloId:N}:{hour.UtcTicks}";

    /// <summary>The slices' starts (column only: written and read by SQL, never through the document).</summary>
    [JsonIgnore] public DateTimeOffset[] SliceStarts { get; init; } = [];

    /// <summary>The slices' ends, in the order of <see cref="SliceStarts"/>.</summary>
    [JsonIgnore] public DateTimeOffset[] SliceEnds { get; init; } = [];

    /// <summary>The slices' good events (or good slices), in the same order.</summary>
    [JsonIgnore] public long[] SliceGoods { get; init; } = [];

    /// <summary>The slices' valid events, in the same order.</summary>
    [JsonIgnore] public long[] SliceTotals { get; init; } = [];

    /// <summary>When each slice was recorded (its observation's instant), in the same order.</summary>
    [JsonIgnore] public DateTimeOffset[] SliceRecorded { get; init; } = [];

    public static SliHour From(string id, Guid sloId, HourTally t) => new(id, sloId, t.Hour, t.Good, t.Total, t.FirstStart, t.LastRecordedAt);

    /// <summary>
    /// Adds a transaction's (or a rebuild page's) slices to their hours in one statement: each hour inserted, or added to
    /// the row already there (sums added, the earliest first start, the latest recording, the slices appended), in the
    /// columns and in the JSON alike, so no hour is read back. Parameters: the slices as five arrays (start, end, good,
    /// total, recorded), grouped by hour; the .NET type; then the hours as arrays (id, document, SLO, hour, good, total,
    /// first start, last recorded, and the first and last index of its slices in the slice arrays, from 1). Each hour
    /// id once. An hour's slices are cut from the parameters' arrays (no rows unnested and grouped again).
    /// </summary>
    public static string AddSql(string schema) => $"""
        insert into {schema}.mt_doc_slihour as h (slice_starts, slice_ends, slice_goods, slice_totals, slice_recorded,
          mt_dotnet_type, id, data, slo_id, hour, good, total, first_start, last_recorded_at)
        select (?::timestamptz[])[d.lo:d.hi], (?::timestamptz[])[d.lo:d.hi], (?::bigint[])[d.lo:d.hi], (?::bigint[])[d.lo:d.hi],
               (?::timestamptz[])[d.lo:d.hi],
               ?, d.id, d.data::jsonb, d.slo_id, d.hour, d.good, d.total, d.first_start, d.last_recorded_at
        from unnest(?::varchar[], ?::text[], ?::uuid[], ?::timestamptz[], ?::bigint[], ?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::int[])
          as d(id, data, slo_id, hour, good, total, first_start, last_recorded_at, lo, hi)
        on conflict (id) do update set
          good = h.good + excluded.good,
          total = h.total + excluded.total,
          first_start = least(h.first_start, excluded.first_start),
          last_recorded_at = greatest(h.last_recorded_at, excluded.last_recorded_at),
          slice_starts = h.slice_starts || excluded.slice_starts,
          slice_ends = h.slice_ends || excluded.slice_ends,
          slice_goods = h.slice_goods || excluded.slice_goods,
          slice_totals = h.slice_totals || excluded.slice_totals,
          slice_recorded = h.slice_recorded || excluded.slice_recorded,
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
        DuplicatedColumns.Add(mapping, "timestamptz[]", x => x.SliceStarts, x => x.SliceEnds, x => x.SliceRecorded);
        DuplicatedColumns.Add(mapping, "bigint[]", x => x.SliceGoods, x => x.SliceTotals);
    }
}
