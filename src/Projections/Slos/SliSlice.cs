using Marten.Schema;
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
        var c = DuplicatedColumns.Add(mapping, x => x.SloId, x => x.End, x => x.Start, x => x.Good, x => x.Total, x => x.RecordedAt);
        DuplicatedColumns.Index(mapping, "slo_id_end", c[0], c[1]);
        // Slices that start before the SLO's definition never count: history backfilled before it is skipped, not read.
        DuplicatedColumns.Index(mapping, "slo_id_start", c[0], c[2]);
    }
}
