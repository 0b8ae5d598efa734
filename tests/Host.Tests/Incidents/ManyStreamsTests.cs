using System.Text.RegularExpressions;
using JasperFx.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Sre.Host.Tests.Support;
using Sre.Projections;

namespace Sre.Host.Tests.Incidents;

/// <summary>
/// The webhook's one-statement append of many streams, read back through Marten as its own appends are; and the fence
/// around it: the function writes into Marten's own tables, so a Marten that changes them must fail here first.
/// </summary>
public class ManyStreamsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset At = AppFixture.Epoch;

    /// <summary>
    /// Marten's event tables as Marten creates them for this store, column by column: whether Marten's own quick append
    /// writes the column, and whether the function does. The only difference: <c>bdata</c>, the payload of events
    /// serialised as binary, which Marten writes null for a JSON event (every event of this store) and the function
    /// leaves to the same null.
    /// </summary>
    private static readonly (string Table, string Column, string Type, bool Marten, bool Function)[] Columns =
    [
        ("mt_events", "seq_id", "bigint", true, true),
        ("mt_events", "id", "uuid", true, true),
        ("mt_events", "stream_id", "uuid", true, true),
        ("mt_events", "version", "bigint", true, true),
        ("mt_events", "data", "jsonb", true, true),
        ("mt_events", "bdata", "bytea", true, false),
        ("mt_events", "type", "character varying", true, true),
        ("mt_events", "timestamp", "timestamp with time zone", true, true),
        ("mt_events", "tenant_id", "character varying", true, true),
        ("mt_events", "mt_dotnet_type", "character varying", true, true),
        ("mt_events", "is_archived", "boolean", true, true),
        ("mt_streams", "id", "uuid", true, true),
        ("mt_streams", "type", "character varying", true, true),
        ("mt_streams", "version", "bigint", true, true),
        ("mt_streams", "timestamp", "timestamp with time zone", true, true),
        ("mt_streams", "created", "timestamp with time zone", false, false),
        ("mt_streams", "tenant_id", "character varying", true, true),
        ("mt_streams", "compacted_version", "bigint", false, false),
        ("mt_streams", "is_archived", "boolean", false, false),
    ];

    [Fact]
    public async Task the_function_writes_the_columns_of_martens_event_tables_that_martens_own_append_writes()
    {
        // The function writes what Marten's quick append writes in this mode: event timestamps sent by the client.
        Assert.Equal(EventAppendMode.QuickWithServerTimestamps, Store.Options.Events.AppendMode);
        var schema = Store.Options.Events.DatabaseSchemaName;
        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();

        var columns = new List<(string, string, string)>();
        await using (var command = new NpgsqlCommand(
            "select table_name, column_name, data_type from information_schema.columns " +
            "where table_schema = $1 and table_name in ('mt_events', 'mt_streams') order by table_name, ordinal_position", connection))
        {
            command.Parameters.AddWithValue(schema);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        Assert.Equal(Columns.Select(c => (c.Table, c.Column, c.Type)).Order(), columns.Order());

        // What each append writes, read from the functions as they are in the database.
        var marten = Written(await FunctionSource(connection, schema, "mt_quick_append_events"));
        var function = Written(await FunctionSource(connection, schema, ManyStreams.FunctionName));
        foreach (var table in new[] { "mt_events", "mt_streams" })
        {
            Assert.Equal(Columns.Where(c => c.Table == table && c.Marten).Select(c => c.Column).Order(), marten.Inserted[table].Order());
            Assert.Equal(Columns.Where(c => c.Table == table && c.Function).Select(c => c.Column).Order(), function.Inserted[table].Order());
        }
        // An existing stream: both move its version and its timestamp, and nothing else.
        Assert.Equal(["timestamp", "version"], marten.StreamUpdate.Order());
        Assert.Equal(marten.StreamUpdate.Order(), function.StreamUpdate.Order());
    }

    [Fact]
    public async Task events_of_new_and_existing_streams_read_back_as_martens_own()
    {
        var existing = await StreamWithOneEvent();
        var started = Guid.NewGuid();

        await Append(
            new ManyStreams.Append(started, 0, [Note("one"), Note("two")]),
            new ManyStreams.Append(existing, 1, [Note("three"), new IncidentAcknowledged(At, "alice")]));

        await using var session = Store.QuerySession();
        var startedEvents = await session.Events.FetchStreamAsync(started);
        Assert.Equal([1L, 2L], startedEvents.Select(e => e.Version));
        Assert.Equal(["one", "two"], startedEvents.Select(e => ((IncidentNoteAdded)e.Data).Text));
        var existingEvents = await session.Events.FetchStreamAsync(existing);
        Assert.Equal([1L, 2L, 3L], existingEvents.Select(e => e.Version));
        Assert.Equal(new IncidentAcknowledged(At, "alice"), existingEvents[2].Data);
        Assert.Equal("incident_acknowledged", existingEvents[2].EventTypeName);
        // The sequence numbers follow the order of the call, after those already taken.
        Assert.Equal(
            Enumerable.Range(0, 4).Select(i => existingEvents[0].Sequence + 1 + i),
            startedEvents.Concat(existingEvents.Skip(1)).Select(e => e.Sequence));

        var startedState = await session.Events.FetchStreamStateAsync(started);
        Assert.Equal(2, startedState!.Version);
        Assert.Equal(typeof(Incident), startedState.AggregateType);
        Assert.Equal(3, (await session.Events.FetchStreamStateAsync(existing))!.Version);
    }

    [Theory]
    [InlineData(0)] // started again
    [InlineData(2)] // at a version it never had
    public async Task a_stream_not_at_its_expected_version_refuses_the_whole_call_and_takes_no_sequence_number(long versionBefore)
    {
        var existing = await StreamWithOneEvent();
        var other = Guid.NewGuid();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Append(
            new ManyStreams.Append(other, 0, [Note("lost")]),
            new ManyStreams.Append(existing, versionBefore, [Note("lost too")])));

        Assert.True(TransientFaults.IsConcurrencyConflict(refused), refused.ToString());
        Assert.Contains(refused.FlattenInner(), e => e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure });
        Assert.Equal(1, await StoredEvents());
        await using (var session = Store.QuerySession())
            Assert.Null(await session.Events.FetchStreamStateAsync(other));

        // No gap in the sequence: the next append takes the number after the last event's.
        await Append(new ManyStreams.Append(existing, 1, [Note("kept")]));
        await using var read = Store.QuerySession();
        var events = await read.Events.FetchStreamAsync(existing);
        Assert.Equal(events[0].Sequence + 1, events[1].Sequence);
    }

    private static IncidentNoteAdded Note(string text) => new(text, At, "alice");

    private static async Task<string> FunctionSource(NpgsqlConnection connection, string schema, string name)
    {
        await using var command = new NpgsqlCommand(
            "select prosrc from pg_proc where pronamespace = $1::regnamespace and proname = $2", connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(name);
        return (string)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No function {schema}.{name}."));
    }

    /// <summary>The columns a function's INSERTs into the event tables name, and those its UPDATE of mt_streams sets.</summary>
    private static (Dictionary<string, List<string>> Inserted, List<string> StreamUpdate) Written(string source)
    {
        var inserted = Regex.Matches(source, @"insert\s+into\s+[\w.]*?\b(mt_events|mt_streams)\s*\(([^)]*)\)", RegexOptions.IgnoreCase)
            .GroupBy(m => m.Groups[1].Value.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.SelectMany(m => Names(m.Groups[2].Value)).Distinct().ToList());
        var update = Regex.Match(source, @"update\s+[\w.]*?\bmt_streams\b.*?\bset\s+(.*?)\s+(?:from|where)\s", RegexOptions.IgnoreCase | RegexOptions.Singleline);
        Assert.True(update.Success, source);
        // The assignments, their values' parentheses (function calls) taken out first: the names before each '='.
        var assignments = update.Groups[1].Value;
        while (Regex.IsMatch(assignments, @"\([^()]*\)")) assignments = Regex.Replace(assignments, @"\([^()]*\)", "");
        return (inserted, assignments.Split(',').Select(a => a.Split('=')[0].Trim().ToLowerInvariant()).ToList());
    }

    private static IEnumerable<string> Names(string list) => list.Split(',').Select(c => c.Trim().Trim('"').ToLowerInvariant());

    private async Task<Guid> StreamWithOneEvent()
    {
        var id = Guid.NewGuid();
        await using var session = Store.LightweightSession();
        session.Events.StartStream<Incident>(id, new IncidentOpened(id, "{}:{alertname=\"Test\"}", 1, "Test", "checkout", "page", [], "sre", null, At, "alertmanager"));
        await session.SaveChangesAsync();
        return id;
    }

    private async Task Append(params ManyStreams.Append[] appends)
    {
        await using var session = Store.LightweightSession();
        ManyStreams.Queue(session, typeof(Incident), appends);
        await session.SaveChangesAsync();
    }
}

internal static class ExceptionChain
{
    public static IEnumerable<Exception> FlattenInner(this Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException) yield return e;
    }
}
