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
    private readonly string _hoursSql =
        $"select hour, good, total, first_start, last_recorded_at from {schema}.mt_doc_slihour where slo_id = $1 and hour >= $2 and hour < $3";

    /// <summary>
    /// Sums of good and total events of the slices that end after each start, up to <paramref name="at"/>, recorded by
    /// then and starting at or after the SLO's definition: every window of an Occurrences status from the hourly sums
    /// (<see cref="HourlyRollup"/>) and the slices of the hours those cannot stand for; the cost does not grow with the period.
    /// </summary>
    public async Task<IReadOnlyDictionary<DateTimeOffset, Tally>> Sums(
        Guid slo, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, CancellationToken ct)
    {
        var hours = new List<HourTally>();
        await using (var command = dataSource.CreateCommand(_hoursSql))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = slo });
            command.Parameters.Add(new NpgsqlParameter { Value = HourlyRollup.Floor(starts.Min()).UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                hours.Add(new HourTally(Utc(reader.GetDateTime(0)), reader.GetInt64(1), reader.GetInt64(2), Utc(reader.GetDateTime(3)), Utc(reader.GetDateTime(4))));
        }

        var slices = await EndingIn(slo, HourlyRollup.SlicesToRead(hours, definedAt, at, starts), ct);
        return starts.Distinct().ToDictionary(from => from, from => HourlyRollup.Over(from, hours, slices, definedAt, at));
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
