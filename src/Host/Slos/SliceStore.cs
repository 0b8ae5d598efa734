using Npgsql;
using Sre.Projections.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// Reads SLI slices as plain columns (the duplicated fields of the SliSlice documents): a status over 30 days
/// of minute slices reads 43,200 rows, and parsing them as JSON documents would cost far more than the query.
/// </summary>
public sealed class SliceStore(NpgsqlDataSource dataSource, string schema)
{
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
