using System.Text;
using Npgsql;
using Sre.Domain.Slos;
using Sre.Projections.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// Reads SLI slices as plain columns (the duplicated fields of the SliSlice documents): a status over 30 days
/// of minute slices reads 43,200 rows, and parsing them as JSON documents would cost far more than the query.
/// </summary>
public sealed class SliceStore(NpgsqlDataSource dataSource, string schema)
{
    /// <summary>
    /// Sums of good and total events of the slices that end after each start, up to <paramref name="at"/>, recorded by
    /// then and starting at or after the SLO's definition: every window of an Occurrences status in one pass.
    /// </summary>
    public async Task<IReadOnlyDictionary<DateTimeOffset, Tally>> Sums(
        Guid slo, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, CancellationToken ct)
    {
        var sql = new StringBuilder("select ");
        for (var i = 0; i < starts.Count; i++)
        {
            if (i > 0) sql.Append(", ");
            sql.Append($"coalesce(sum(good) filter (where \"end\" > ${i + 5}), 0), coalesce(sum(total) filter (where \"end\" > ${i + 5}), 0)");
        }
        sql.Append($" from {schema}.mt_doc_slislice where slo_id = $1 and \"end\" <= $2 and recorded_at <= $2 and start >= $3 and \"end\" > $4");
        await using var command = dataSource.CreateCommand(sql.ToString());
        command.Parameters.Add(new NpgsqlParameter { Value = slo });
        command.Parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = definedAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = starts.Min().UtcDateTime });
        foreach (var start in starts) command.Parameters.Add(new NpgsqlParameter { Value = start.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var sums = new Dictionary<DateTimeOffset, Tally>();
        for (var i = 0; i < starts.Count; i++)
            sums[starts[i]] = new Tally(Convert.ToDouble(reader.GetValue(2 * i)), Convert.ToDouble(reader.GetValue(2 * i + 1)));
        return sums;
    }

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
        {
            var start = new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero);
            var end = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero);
            slices.Add(new SliSlice("", slo, start, end, reader.GetInt64(2), reader.GetInt64(3), new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero)));
        }
        return slices;
    }
}
