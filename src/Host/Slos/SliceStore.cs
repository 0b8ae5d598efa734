using Npgsql;
using Sre.Domain.Slos;
using Sre.Projections.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// Reads SLI slices and their hourly sums as plain columns (the duplicated fields of the SliSlice and SliHour
/// documents): parsing thousands of them as JSON documents would cost far more than the query.
/// </summary>
public sealed class SliceStore(NpgsqlDataSource dataSource, string schema)
{
    // The clean hours wholly inside the windows, summed by how many window starts come at or before each ($3 ascending):
    // a few rows whatever the period. $2 the earliest start's hour, $4 the instant, $5 the definition.
    private readonly string _cleanHoursSql =
        $"select width_bucket(hour, $3::timestamptz[]), sum(good), sum(total) from {schema}.mt_doc_slihour " +
        "where slo_id = $1 and hour >= $2 and hour + interval '1 hour' <= $4 and first_start >= $5 and last_recorded_at <= $4 group by 1";

    // The hours whose sums cannot stand for their slices at the instant (usually none, or the definition's hour).
    private readonly string _uncleanHoursSql =
        $"select hour from {schema}.mt_doc_slihour where slo_id = $1 and hour >= $2 and hour < $4 and (first_start < $5 or last_recorded_at > $4)";

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
            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                buckets[reader.GetInt32(0)] = new Tally(reader.GetDecimal(1), reader.GetDecimal(2));
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) unclean.Add(Utc(reader.GetDateTime(0)));
        }

        var slices = await EndingIn(slo, HourlyRollup.SlicesToRead(unclean, at, sorted), ct);
        var clean = HourlyRollup.SumsFrom(sorted, buckets);
        return sorted.ToDictionary(from => from, from => HourlyRollup.Over(from, clean[from], unclean, slices, definedAt, at));
    }

    /// <summary>
    /// The slices that end in the given spans, each a literal condition (an array joined to the slices would hide the
    /// ranges from the planner, which then scans every slice of the SLO).
    /// </summary>
    private async Task<IReadOnlyList<RecordedSlice>> EndingIn(Guid slo, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ranges, CancellationToken ct)
    {
        var slices = new List<RecordedSlice>();
        if (ranges.Count == 0) return slices;
        var conditions = string.Join(" or ", ranges.Select((_, i) => $"(\"end\" > ${2 * i + 2} and \"end\" <= ${2 * i + 3})"));
        await using var command = dataSource.CreateCommand(
            $"select start, \"end\", good, total, recorded_at from {schema}.mt_doc_slislice where slo_id = $1 and ({conditions})");
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        foreach (var (from, to) in ranges)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime });
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            slices.Add(new RecordedSlice(Utc(reader.GetDateTime(0)), Utc(reader.GetDateTime(1)), reader.GetInt64(2), reader.GetInt64(3), Utc(reader.GetDateTime(4))));
        return slices;
    }

    /// <summary>When slices were last recorded for the SLO, or null if never.</summary>
    public async Task<DateTimeOffset?> LastRecordedAt(Guid slo, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select max(last_recorded_at) from {schema}.mt_doc_slihour where slo_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        return await command.ExecuteScalarAsync(ct) is DateTime t ? Utc(t) : null;
    }

    /// <summary>The seconds the SLO's slices within [from, to] cover (a pulled slice never overlaps a stored one: PulledSlices.WithoutStored).</summary>
    public async Task<double> CoveredSeconds(Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select coalesce(sum(extract(epoch from (\"end\" - start))), 0)::float8 from {schema}.mt_doc_slislice where slo_id = $1 and start >= $2 and \"end\" <= $3");
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime });
        return await command.ExecuteScalarAsync(ct) is double seconds ? seconds : 0;
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private readonly string _sql =
        $"select start, \"end\", good, total, recorded_at from {schema}.mt_doc_slislice where slo_id = $1 and \"end\" > $2 and \"end\" <= $3";

    public async Task<IReadOnlyList<SliSlice>> Read(Guid slo, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(_sql);
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var slices = new List<SliSlice>();
        while (await reader.ReadAsync(ct))
            slices.Add(new SliSlice("", slo, Utc(reader.GetDateTime(0)), Utc(reader.GetDateTime(1)), reader.GetInt64(2), reader.GetInt64(3), Utc(reader.GetDateTime(4))));
        return slices;
    }
}
