using Npgsql;
using Sre.Domain.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// Reads SLI slices and their hourly sums as plain columns of the SliHour rows: the sums, and the slices from the arrays
/// of the hour they end in (<see cref="Projections.Slos.SliHour"/>); parsing thousands of JSON documents would cost far
/// more than the query. A slice ending in (from, to] is in an hour h with floor(from) ≤ h &lt; to, which the
/// (slo_id, hour) index finds; the slices are then filtered by their own end.
/// </summary>
public sealed class SliceStore(NpgsqlDataSource dataSource, string schema) : ISliceReads
{
    // The clean hours wholly inside the windows, summed by how many window starts come at or before each ($3 ascending):
    // a few rows whatever the period. $2 the earliest start's hour, $4 the instant, $5 the definition.
    private readonly string _cleanHoursSql =
        $"select width_bucket(hour, $3::timestamptz[]), sum(good), sum(total) from {schema}.mt_doc_slihour " +
        "where slo_id = $1 and hour >= $2 and hour + interval '1 hour' <= $4 and first_start >= $5 and last_recorded_at <= $4 group by 1";

    // The hours whose sums cannot stand for their slices at the instant (usually none, or the definition's hour).
    private readonly string _uncleanHoursSql =
        $"select hour from {schema}.mt_doc_slihour where slo_id = $1 and hour >= $2 and hour < $4 and (first_start < $5 or last_recorded_at > $4)";

    // The slices of an SLO's hours, one row each.
    private string Unnested(string columns) =>
        $"select {columns} from {schema}.mt_doc_slihour h " +
        "cross join lateral unnest(h.slice_starts, h.slice_ends, h.slice_goods, h.slice_totals, h.slice_recorded) as s(start, \"end\", good, total, recorded_at) ";

    /// <summary>
    /// Sums of good and total events of the slices that end after each start, up to <paramref name="at"/>, recorded by
    /// then and starting at or after the SLO's definition: every window of an Occurrences status from the hourly sums
    /// (<see cref="HourlyRollup"/>) and the slices of the hours those cannot stand for; the cost does not grow with the period.
    /// </summary>
    public async Task<IReadOnlyDictionary<DateTimeOffset, Tally>> Sums(
        Guid slo, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, CancellationToken ct)
    {
        var sorted = starts.Distinct().Order().ToList();
        var buckets = new Dictionary<int, Tally>();
        var unclean = new HashSet<DateTimeOffset>();
        // The hours cut by a window's start or by the instant are read slice by slice whatever the sums say: asked for in
        // the same round trip; the unclean hours (usually none) after it.
        var cut = HourlyRollup.SlicesToRead([], at, sorted);
        var slices = new List<RecordedSlice>();
        await using (var batch = dataSource.CreateBatch())
        {
            foreach (var sql in new[] { _cleanHoursSql, _uncleanHoursSql })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter { Value = slo });
                command.Parameters.Add(new NpgsqlParameter { Value = HourlyRollup.Floor(sorted[0]).UtcDateTime });
                command.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(t => t.UtcDateTime).ToArray() });
                command.Parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime });
                command.Parameters.Add(new NpgsqlParameter { Value = definedAt.UtcDateTime });
                batch.BatchCommands.Add(command);
            }
            if (cut.Count > 0) batch.BatchCommands.Add(EndingInCommand(slo, cut));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                buckets[reader.GetInt32(0)] = new Tally(reader.GetDecimal(1), reader.GetDecimal(2));
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) unclean.Add(Utc(reader.GetDateTime(0)));
            if (cut.Count > 0)
            {
                await reader.NextResultAsync(ct);
                await ReadEndingIn(reader, cut, slices, ct);
            }
        }

        if (unclean.Count > 0)
        {
            // An unclean hour is read whole: the slices of it already read with the cut spans are left out, so that none
            // is counted twice.
            var spans = unclean.Select(h => (From: h, To: h + HourlyRollup.Length)).ToList();
            slices.RemoveAll(s => EndsIn(s.End, spans));
            slices.AddRange(await EndingIn(slo, spans, ct));
        }
        var clean = HourlyRollup.SumsFrom(sorted, buckets);
        return sorted.ToDictionary(from => from, from => HourlyRollup.Over(from, clean[from], unclean, slices, definedAt, at));
    }

    /// <summary>The slices of the SLO that end in (<paramref name="from"/>, <paramref name="to"/>], in no particular order.</summary>
    public Task<IReadOnlyList<RecordedSlice>> Read(Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        EndingIn(slo, [(from, to)], ct);

    /// <summary>
    /// The slices that end in the given spans (From, To]: the arrays of the hours that may hold them (a literal condition
    /// on the hours per span: an array joined to the hours would hide the ranges from the planner, which then scans every
    /// hour of the SLO), each slice then kept or not by its own end. One row an hour, its arrays read whole in binary:
    /// unnested in PostgreSQL instead, a day of minute slices was 1,440 rows to filter, send and read one by one.
    /// </summary>
    private async Task<IReadOnlyList<RecordedSlice>> EndingIn(Guid slo, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ranges, CancellationToken ct)
    {
        var slices = new List<RecordedSlice>();
        if (ranges.Count == 0) return slices;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(EndingInCommand(slo, ranges));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await ReadEndingIn(reader, ranges, slices, ct);
        return slices;
    }

    private NpgsqlBatchCommand EndingInCommand(Guid slo, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ranges)
    {
        var hours = string.Join(" or ", ranges.Select((_, i) => $"(h.hour >= ${2 * i + 2} and h.hour < ${2 * i + 3})"));
        var command = new NpgsqlBatchCommand(
            $"select h.slice_starts, h.slice_ends, h.slice_goods, h.slice_totals, h.slice_recorded from {schema}.mt_doc_slihour h " +
            $"where h.slo_id = $1 and ({hours})");
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        foreach (var (from, to) in ranges)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = HourlyRollup.Floor(from).UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime });
        }
        return command;
    }

    private static async Task ReadEndingIn(
        NpgsqlDataReader reader, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ranges, List<RecordedSlice> slices, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(1)) continue; // an hour with no slices of its own (unnest made no rows of it either)
            var ends = reader.GetFieldValue<DateTime[]>(1);
            DateTime[]? starts = null, recorded = null;
            long[]? goods = null, totals = null;
            for (var i = 0; i < ends.Length; i++)
            {
                var end = Utc(ends[i]);
                if (!EndsIn(end, ranges)) continue;
                starts ??= reader.GetFieldValue<DateTime[]>(0);
                goods ??= reader.GetFieldValue<long[]>(2);
                totals ??= reader.GetFieldValue<long[]>(3);
                recorded ??= reader.GetFieldValue<DateTime[]>(4);
                slices.Add(new RecordedSlice(Utc(starts[i]), end, goods[i], totals[i], Utc(recorded[i])));
            }
        }
    }

    private static bool EndsIn(DateTimeOffset end, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ranges)
    {
        foreach (var (from, to) in ranges)
            if (end > from && end <= to) return true;
        return false;
    }

    /// <summary>When slices were last recorded for the SLO, or null if never.</summary>
    public async Task<DateTimeOffset?> LastRecordedAt(Guid slo, CancellationToken ct) =>
        (await LastRecordedAt([slo], ct)).GetValueOrDefault(slo);

    /// <summary>When slices were last recorded for each of the SLOs that has any, in one query.</summary>
    public async Task<IReadOnlyDictionary<Guid, DateTimeOffset?>> LastRecordedAt(IReadOnlyList<Guid> slos, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select slo_id, max(last_recorded_at) from {schema}.mt_doc_slihour where slo_id = any($1) group by slo_id");
        command.Parameters.Add(new NpgsqlParameter { Value = slos.ToArray() });
        var found = new Dictionary<Guid, DateTimeOffset?>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found[reader.GetGuid(0)] = Utc(reader.GetDateTime(1));
        return found;
    }

    /// <summary>The end of the SLO's latest slice, or null if it has none.</summary>
    public async Task<DateTimeOffset?> LastEnd(Guid slo, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select (select max(e) from unnest(h.slice_ends) as e) from {schema}.mt_doc_slihour h where h.slo_id = $1 order by h.hour desc limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        return await command.ExecuteScalarAsync(ct) is DateTime t ? Utc(t) : null;
    }

    /// <summary>The seconds the SLO's slices within [from, to] cover (a pulled slice never overlaps a stored one: PulledSlices.WithoutStored).</summary>
    public async Task<double> CoveredSeconds(Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            Unnested("coalesce(sum(extract(epoch from (s.\"end\" - s.start))), 0)::float8") +
            "where h.slo_id = $1 and h.hour >= $2 and h.hour < $4 and s.start >= $3 and s.\"end\" <= $4");
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        command.Parameters.Add(new NpgsqlParameter { Value = HourlyRollup.Floor(from).UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime });
        return await command.ExecuteScalarAsync(ct) is double seconds ? seconds : 0;
    }

    /// <summary>
    /// Which of the given slices (SLO, start, end) are stored already: what a writer leaves out, so that a slice is
    /// recorded once. One query for every SLO and hour the slices end in.
    /// </summary>
    public async Task<IReadOnlySet<(Guid Slo, DateTimeOffset Start, DateTimeOffset End)>> Stored(
        IReadOnlyCollection<(Guid Slo, DateTimeOffset Start, DateTimeOffset End)> slices, CancellationToken ct)
    {
        var stored = new HashSet<(Guid, DateTimeOffset, DateTimeOffset)>();
        if (slices.Count == 0) return stored;
        var hours = slices.Select(s => (s.Slo, Hour: HourlyRollup.HourOf(s.End))).Distinct().ToList();
        await using var command = dataSource.CreateCommand(
            $"select h.slo_id, s.start, s.\"end\" from {schema}.mt_doc_slihour h " +
            "cross join lateral unnest(h.slice_starts, h.slice_ends) as s(start, \"end\") " +
            "where (h.slo_id, h.hour) in (select * from unnest($1::uuid[], $2::timestamptz[]))");
        command.Parameters.Add(new NpgsqlParameter { Value = hours.Select(h => h.Slo).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = hours.Select(h => h.Hour.UtcDateTime).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            stored.Add((reader.GetGuid(0), Utc(reader.GetDateTime(1)), Utc(reader.GetDateTime(2))));
        stored.IntersectWith(slices);
        return stored;
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
