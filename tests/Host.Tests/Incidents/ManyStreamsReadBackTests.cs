using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sre.Domain.Incidents;
using Sre.Host.Tests.Support;
using Sre.Projections;

namespace Sre.Host.Tests.Incidents;

/// <summary>
/// Events written by the webhook's function reach every reader Marten has (FetchStreamAsync, AggregateStreamAsync and a
/// subscription run by the async daemon) exactly as the rows hold them, as events Marten appended itself do: same
/// sequence, version, type, data, tenant and timestamp. A store of the service's configuration in a schema of its own,
/// with a subscription that records what the daemon hands it.
/// </summary>
public class ManyStreamsReadBackTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const string Schema = "sre_fence";

    [Fact]
    public async Task events_of_the_function_reach_fetch_aggregate_and_the_daemon_as_martens_own()
    {
        var dataSource = Host.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var drop = dataSource.CreateCommand($"drop schema if exists {Schema} cascade")) await drop.ExecuteNonQueryAsync();
        var recorder = new Recorder();
        await using var store = DocumentStore.For(o =>
        {
            o.ConfigureSreStore(TestEnvironment.ConnectionString, Schema);
            o.Events.Subscribe(recorder);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var (marten, function) = (Guid.NewGuid(), Guid.NewGuid());
        var before = DateTimeOffset.UtcNow;

        // Marten alone, the function alone, then both in one transaction.
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream<Incident>(marten, Opened(marten), Fired(marten));
            await session.SaveChangesAsync();
        }
        IReadOnlyList<IEvent> handed;
        await using (var session = store.LightweightSession())
        {
            handed = ManyStreams.Queue(session, typeof(Incident), [new ManyStreams.Append(function, 0, [Opened(function), Fired(function)])]);
            await session.SaveChangesAsync();
        }
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(marten, 3, new IncidentAcknowledged(AppFixture.Epoch, "alice"));
            handed = [.. handed, .. ManyStreams.Queue(session, typeof(Incident), [new ManyStreams.Append(function, 2, [new IncidentAcknowledged(AppFixture.Epoch, "alice")])])];
            await session.SaveChangesAsync();
        }
        var after = DateTimeOffset.UtcNow;

        var rows = await Rows(dataSource);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], rows.Select(r => r.Sequence));
        Assert.Equal([marten, marten, function, function], rows.Take(4).Select(r => r.StreamId));
        Assert.Equal(new[] { marten, function }.Order(), rows.Skip(4).Select(r => r.StreamId).Order());
        Assert.All(rows, r => Assert.InRange(r.Timestamp, before.AddSeconds(-1), after.AddSeconds(1)));
        // A stream's rows are its twin's, but for the sequence, the ids and the moment.
        Assert.Equal(Twin(rows, marten), Twin(rows, function));
        // What the function handed the inline projection is what it stored.
        Assert.Equal(rows.Where(r => r.StreamId == function).Select(r => r with { Sequence = 0 }), handed.Select(e => Row.Of(e, store) with { Sequence = 0 }));

        await using (var query = store.QuerySession())
        {
            var fetched = (await query.Events.FetchStreamAsync(marten)).Concat(await query.Events.FetchStreamAsync(function));
            Assert.Equal(rows.OrderBy(r => r.StreamId == function).ThenBy(r => r.Sequence), fetched.Select(e => Row.Of(e, store)));
            var (m, f) = (await query.Events.AggregateStreamAsync<Incident>(marten), await query.Events.AggregateStreamAsync<Incident>(function));
            Assert.Equal(3, f!.Version);
            Assert.Equal(Serialized(store, m!).Replace(marten.ToString(), ""), Serialized(store, f).Replace(function.ToString(), ""));
        }

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await recorder.All(rows.Count).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(rows, recorder.Seen.Select(e => Row.Of(e, store)));
        await daemon.StopAllAsync();
    }

    private static IncidentOpened Opened(Guid id) =>
        new(id, $"{{}}:{{alertname=\"{id}\"}}", 1, "Fence", "checkout", "page", new() { ["alertname"] = "Fence" }, "sre", null, AppFixture.Epoch, Actors.Alertmanager);

    private static AlertFired Fired(Guid id) =>
        new(Guid.Empty, new AlertSnapshot("fp1", AppFixture.Epoch, null, new() { ["alertname"] = "Fence" }, [], null), AppFixture.Epoch, Actors.Alertmanager, true);

    private static string Serialized(IDocumentStore store, object value) => store.Options.Serializer().ToJson(value);

    private static IEnumerable<Row> Twin(IEnumerable<Row> rows, Guid stream) => rows.Where(r => r.StreamId == stream)
        .Select(r => r with { Sequence = 0, Id = Guid.Empty, StreamId = Guid.Empty, Timestamp = default, Data = r.Data.Replace(stream.ToString(), "") });

    /// <summary>An event as the table holds it: every column a reader may see.</summary>
    private sealed record Row(long Sequence, Guid Id, Guid StreamId, long Version, string Type, string? DotNetType, string Data,
        DateTimeOffset Timestamp, string TenantId, bool IsArchived)
    {
        public static Row Of(IEvent e, IDocumentStore store) => new(e.Sequence, e.Id, e.StreamId, e.Version, e.EventTypeName,
            e.DotNetTypeName, CanonicalJson.Of(Serialized(store, e.Data)), e.Timestamp.ToUniversalTime(), e.TenantId, e.IsArchived);

    }

    private static async Task<List<Row>> Rows(NpgsqlDataSource dataSource)
    {
        var rows = new List<Row>();
        await using var command = dataSource.CreateCommand(
            $"select seq_id, id, stream_id, version, type, mt_dotnet_type, data::text, timestamp, tenant_id, is_archived from {Schema}.mt_events order by seq_id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), CanonicalJson.Of(reader.GetString(6)), reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8), reader.GetBoolean(9)));
        return rows;
    }

    /// <summary>Records every event the daemon hands it, in order.</summary>
    private sealed class Recorder : SubscriptionBase
    {
        private readonly List<IEvent> _seen = [];
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expected = int.MaxValue;

        public Recorder() => Name = "fence";

        public IReadOnlyList<IEvent> Seen { get { lock (_seen) return [.. _seen]; } }

        public Task All(int count)
        {
            lock (_seen)
            {
                _expected = count;
                if (_seen.Count >= count) _all.TrySetResult();
            }
            return _all.Task;
        }

        public override Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
            IDocumentOperations operations, CancellationToken cancellationToken)
        {
            lock (_seen)
            {
                _seen.AddRange(page.Events);
                if (_seen.Count >= _expected) _all.TrySetResult();
            }
            return Task.FromResult<IChangeListener>(NullChangeListener.Instance);
        }
    }
}
