using Marten.Schema;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>One recorded SLI slice, queried by SLO and end time; RecordedAt lets a past instant ignore data that came later.</summary>
public sealed record SliSlice(string Id, Guid SloId, DateTimeOffset Start, DateTimeOffset End, long Good, long Total, DateTimeOffset RecordedAt)
{
    public static string IdOf(Guid sloId, DateTimeOffset start, DateTimeOffset end) => $"{sloId:N}:{start.UtcTicks}:{end.UtcTicks}";

    public SliceObservation ToObservation() => new(Start, End, Good, Total);

    /// <summary>
    /// Store many slices at once, as Marten's upsert would one by one (a slice stored again replaces the row).
    /// Parameters: the .NET type, then arrays: ids, documents, and the columns as <see cref="ConfigureMarten"/> lists them.
    /// </summary>
    public static string StoreManySql(string schema) => $"""
        insert into {schema}.mt_doc_slislice as s (id, data, mt_dotnet_type, slo_id, "end", start, good, total, recorded_at)
        select d.id, d.data::jsonb, ?, d.slo_id, d.e, d.s, d.good, d.total, d.recorded_at
        from unnest(?::varchar[], ?::text[], ?::uuid[], ?::timestamptz[], ?::timestamptz[], ?::bigint[], ?::bigint[], ?::timestamptz[])
          as d(id, data, slo_id, e, s, good, total, recorded_at)
        on conflict (id) do update set
          data = excluded.data, mt_dotnet_type = excluded.mt_dotnet_type, slo_id = excluded.slo_id, "end" = excluded."end",
          start = excluded.start, good = excluded.good, total = excluded.total, recorded_at = excluded.recorded_at,
          mt_last_modified = transaction_timestamp(), mt_version = md5(random()::text || clock_timestamp()::text)::uuid
        """;

    /// <summary>
    /// Called by Marten when it maps the document. Status reads select the duplicated columns directly (SliceStore):
    /// no JSON to parse for thousands of slices. They filter on the SLO and the end time, so one index on both serves
    /// them (and the SLO and the start, for the definition's cut); Marten would index every duplicated column, and
    /// each index is paid on every slice written.
    /// </summary>
    public static void ConfigureMarten(DocumentMapping<SliSlice> mapping)
    {
        var c = DuplicatedColumns.Add(mapping, x => x.SloId, x => x.End, x => x.Start, x => x.Good, x => x.Total, x => x.RecordedAt);
        DuplicatedColumns.Index(mapping, "slo_id_end", c[0], c[1]);
        // Slices that start before the SLO's definition never count: history backfilled before it is skipped, not read.
        DuplicatedColumns.Index(mapping, "slo_id_start", c[0], c[2]);
    }
}
