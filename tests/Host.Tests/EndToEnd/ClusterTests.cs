using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marten;
using Npgsql;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Cluster;
using Sre.Host.Tests.Support;
using Sre.Projections;
using C = Sre.Contracts;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>
/// Three service processes on one database and one broker (a schema and a virtual host of their own), clustered as
/// Kubernetes runs them (<see cref="ChildProcess.Clustered"/>): each projection and subscription shard and each work
/// partition runs on exactly one process; a process killed hands its share over within the handover time, one started
/// takes a share back; a rolling restart under webhook load loses nothing it answered.
/// </summary>
// In the integration collection: the broker outage test there must not run at the same time.
[Collection(IntegrationCollection.Name)]
public sealed class ClusterTests : IAsyncLifetime
{
    /// <summary>The service's subscriptions (EventStoreSetup): the integration events, and the two that relay side effects.</summary>
    private static readonly string[] Subscriptions = ["backup-incidents/all", "incident-toil/all", "integration-events/all"];
    private const int Partitions = 12;
    private string[] Slos = [];
    private const string EventsQueue = "test-cluster-events";

    private readonly string _work = Directory.CreateTempSubdirectory("sre-cluster-").FullName;
    private readonly string _vhost = $"sre-cl-{Guid.NewGuid():N}"[..20];
    private readonly string _schema = $"cl_{Guid.NewGuid():N}"[..16];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(40), DefaultRequestHeaders = { Authorization = new("Bearer", TestKeys.Admin) } };
    private readonly string[] _urls = [.. Enumerable.Range(0, 3).Select(_ => $"http://127.0.0.1:{Repository.FreePort()}")];
    private readonly ChildProcess?[] _processes = new ChildProcess?[3];
    private readonly Dictionary<string, string> _env = new();
    private DocumentStore _store = null!;

    public async Task InitializeAsync()
    {
        await Broker.CreateVirtualHost(_vhost);
        await Broker.Bind(EventsQueue, [typeof(C.IncidentOpened)], _vhost);
        _env["ConnectionStrings__Marten"] = TestEnvironment.ConnectionString;
        _env["Marten__Schema"] = _schema;
        _env["Bus__Port"] = TestEnvironment.RabbitMqPort.ToString();
        _env["Bus__VirtualHost"] = _vhost;
        _env["Cluster__Partitions"] = Partitions.ToString();
        // Each owner sweeps its SLOs every second: an SLO evaluated by two processes would show as a transition twice.
        _env["Slos__EvaluationInterval"] = "00:00:01";
        foreach (var (name, value) in TestKeys.Environment().Concat(ChildProcess.Clustered)) _env[name] = value;
        _store = DocumentStore.For(o => o.ConfigureSreStore(TestEnvironment.ConnectionString, _schema));
        // One after the other: the first creates the schema the others find.
        for (var i = 0; i < _urls.Length; i++) await Start(i);
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _processes) p?.Dispose();
        _http.Dispose();
        await _store.DisposeAsync();
        await using var connection = new NpgsqlConnection(TestEnvironment.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {_schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task Start(int i) =>
        _processes[i] = await ChildProcess.Service(_urls[i], Path.Combine(_work, $"service-{i}-{DateTime.UtcNow.Ticks}.log"), _env, _http);

    private sealed record Node(Guid Id, int Number, bool Leader, int[] Partitions, string[] Subscriptions);

    private sealed record View(Node[] Nodes, int[] UnassignedPartitions);

    private async Task<View> Cluster(int via) =>
        (await _http.GetFromJsonAsync<View>($"{_urls[via]}/api/v1/ops/cluster", new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;

    /// <summary>
    /// Waits until <paramref name="processes"/> processes are registered and every partition and subscription shard runs
    /// on exactly one of them, spread so that each process runs its even share of partitions; answers the view.
    /// </summary>
    private async Task<View> Spread(int via, int processes, TimeSpan within, string what)
    {
        View view = null!;
        await Repository.Eventually(async () =>
        {
            view = await Cluster(via);
            var partitions = view.Nodes.SelectMany(n => n.Partitions).ToList();
            var shards = view.Nodes.SelectMany(n => n.Subscriptions).ToList();
            return view.Nodes.Length == processes
                && partitions.Order().SequenceEqual(Enumerable.Range(0, Partitions))
                && shards.Order().SequenceEqual(Subscriptions)
                && view.Nodes.All(n => n.Partitions.Length >= Partitions / processes);
        }, within, what);
        return view;
    }

    private async Task<HttpStatusCode> Notify(string url, string service)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/v1/alertmanager/webhook")
        {
            Content = new StringContent(Payloads.Notification([new Payloads.AlertSpec($"fp-{service}", Service: service)]), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Payloads.Token);
        return (await _http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task each_shard_partition_and_slo_has_one_process_and_a_killed_processs_share_moves_within_the_handover_time()
    {
        var three = await Spread(via: 1, processes: 3, TimeSpan.FromSeconds(60), "three processes share the work");
        Assert.Empty(three.UnassignedPartitions);
        var killed = three.Nodes.Single(n => n.Leader);
        var victim = await ProcessOf(killed.Id);
        bool OfKilled(string slo) => killed.Partitions.Contains(WorkPartitions.PartitionOf(SloIds.For(slo), Partitions));
        // Two SLOs of the process to be killed, four of the others.
        var names = Enumerable.Range(0, 1000).Select(i => $"cluster-{i}").ToList();
        Slos = [.. names.Where(OfKilled).Take(2), .. names.Where(n => !OfKilled(n)).Take(4)];

        // Six SLOs defined through different processes, then failing half their requests for a few seconds: the page
        // condition (2m and 40s windows) fires at once for each, and clears when its short window holds no slice any more:
        // a clear that only the sweep of the process owning the SLO's partition decides, every second.
        var clients = _urls.Select(url => new HttpClient { BaseAddress = new Uri(url), DefaultRequestHeaders = { Authorization = new("Bearer", TestKeys.Admin) } }).ToList();
        var defined = new List<DateTimeOffset>();
        for (var i = 0; i < Slos.Length; i++)
        {
            var response = await clients[i % 3].Send(HttpMethod.Post, "/api/v1/slos", new
            {
                name = Slos[i], service = "checkout", by = "alice", target = 0.99,
                sli = new { kind = "availability" }, window = new { kind = "rolling", duration = "1h" },
                alerting = new { conditions = new[] { new { severity = "page", longWindow = "2m", shortWindow = "40s", factor = 10 } } },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            defined.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("defined").GetProperty("at").GetDateTimeOffset());
        }
        // An SLO counts the slices after its definition: a few whole seconds of them.
        var from = defined.Max().AddSeconds(1);
        await Repository.Eventually(() => Task.FromResult(DateTimeOffset.UtcNow >= from.AddSeconds(3)), TimeSpan.FromSeconds(10), "three seconds pass");
        for (var i = 0; i < Slos.Length; i++)
        {
            var slices = Enumerable.Range(0, 3).Select(s => new { start = from.AddSeconds(s), end = from.AddSeconds(s + 1), good = 50, total = 100 });
            var observed = await clients[i % 3].PostAsJsonAsync($"/api/v1/slos/{Slos[i]}/observations", new { slices });
            Assert.True(observed.IsSuccessStatusCode, await observed.Content.ReadAsStringAsync());
        }
        clients.ForEach(c => c.Dispose());
        foreach (var slo in Slos)
            Assert.Single(three.Nodes, n => n.Partitions.Contains(WorkPartitions.PartitionOf(SloIds.For(slo), Partitions)));
        await Repository.Eventually(async () => (await Transitions<BurnRateAlertRaised>()).Count == Slos.Length, TimeSpan.FromSeconds(30),
            "each SLO's page condition fires");

        var before = new[] { "cl-a", "cl-b", "cl-c" };
        for (var i = 0; i < before.Length; i++) Assert.Equal(HttpStatusCode.OK, await Notify(_urls[i], before[i]));

        // SIGKILL the leader: no goodbye. What it ran (its partitions, perhaps the integration events' publishing) runs on
        // the two others within the handover time; the webhook goes on through them meanwhile.
        var killedAt = DateTimeOffset.UtcNow;
        _processes[victim]!.Kill();
        var survivor = (victim + 1) % 3;
        var after = new[] { "cl-d", "cl-e", "cl-f" };
        foreach (var service in after) Assert.Equal(HttpStatusCode.OK, await Notify(_urls[survivor], service));
        var two = await Spread(survivor, processes: 2, ChildProcess.Handover + TimeSpan.FromSeconds(20),
            "the killed process's partitions and shards run on the two others");
        Assert.DoesNotContain(two.Nodes, n => n.Id == killed.Id);
        await Published([.. before, .. after], "every incident opened before and after the kill is published");

        // Every condition clears, once: the killed process's SLOs by their new owners, after the kill. Each owner swept its
        // SLOs every second throughout; a condition swept by two processes would have cleared twice.
        await Repository.Eventually(async () => (await Transitions<BurnRateAlertCleared>()).Count >= Slos.Length, TimeSpan.FromSeconds(90),
            "every page condition clears as its short window empties");
        Assert.Equal(Slos.Order(), (await Transitions<BurnRateAlertRaised>()).Select(t => t.Slo).Order());
        var cleared = await Transitions<BurnRateAlertCleared>();
        Assert.Equal(Slos.Order(), cleared.Select(t => t.Slo).Order());
        Assert.All(cleared.Where(c => OfKilled(c.Slo)), c => Assert.True(c.At > killedAt, $"{c.Slo} cleared at {c.At:O}, before the kill"));

        // Started again, it takes its share back.
        await Start(victim);
        await Spread(victim, processes: 3, TimeSpan.FromSeconds(60), "the restarted process takes a share of the work");
    }

    [Fact]
    public async Task a_rolling_restart_under_webhook_load_loses_no_notification_it_answered()
    {
        await Spread(via: 0, processes: 3, TimeSpan.FromSeconds(60), "three processes share the work");
        var answered = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();
        using var stop = new CancellationTokenSource();
        var sent = 0;

        // Four senders, each a notification at a time to any of the processes, a new group (so a new incident) each time;
        // one that meets a closed port or a dropped connection (its process is gone or going) tries the next process.
        async Task Sender(int id)
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var service = $"roll-{id}-{n++}";
                Interlocked.Increment(ref sent);
                for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
                {
                    try
                    {
                        var status = await Notify(_urls[(id + n + attempt) % 3], service);
                        statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                        if ((int)status is >= 200 and < 300) answered.Add(service);
                        if (status != HttpStatusCode.ServiceUnavailable) break;
                    }
                    catch (HttpRequestException)
                    {
                    }
                }
            }
        }
        var senders = Enumerable.Range(0, 4).Select(i => Task.Run(() => Sender(i))).ToList();

        for (var i = 0; i < 3; i++)
        {
            var answeredBefore = answered.Count;
            await _processes[i]!.Terminate(TimeSpan.FromSeconds(45));
            await Start(i);
            await Spread(i, processes: 3, TimeSpan.FromSeconds(60), $"process {i} is back and has its share");
            await Repository.Eventually(() => Task.FromResult(answered.Count > answeredBefore + 20), TimeSpan.FromSeconds(30),
                "notifications are answered after the restart");
        }
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        Assert.True(answered.Count > 60, $"{answered.Count} of {sent} notifications were answered");
        Assert.All(statuses.Keys, s => Assert.True((int)s is >= 200 and < 300 || s == HttpStatusCode.ServiceUnavailable,
            $"{s} answered {statuses[s]} times: only 2xx, or 503 while a process shuts down"));
        await using var session = _store.QuerySession();
        var stored = (await session.Query<Incident>().Where(i => i.Service.StartsWith("roll-")).Select(i => i.Service).ToListAsync()).ToHashSet();
        Assert.DoesNotContain(answered, s => !stored.Contains(s));
    }

    /// <summary>The index of the process whose node id this is, as each process answers for itself.</summary>
    private async Task<int> ProcessOf(Guid node)
    {
        for (var i = 0; i < _urls.Length; i++)
            if ((await _http.GetFromJsonAsync<JsonElement>($"{_urls[i]}/api/v1/ops/cluster")).GetProperty("self").GetGuid() == node) return i;
        throw new InvalidOperationException($"no process answers as node {node}");
    }

    /// <summary>The transitions of this kind of every SLO, each with its SLO and time, in the order stored.</summary>
    private async Task<List<(string Slo, DateTimeOffset At)>> Transitions<T>() where T : ISloEvent
    {
        await using var session = _store.QuerySession();
        var transitions = new List<(string, DateTimeOffset)>();
        foreach (var slo in Slos)
            transitions.AddRange((await session.Events.FetchStreamAsync(SloIds.For(slo))).Where(e => e.Data is T).Select(e => (slo, e.Timestamp)));
        return transitions;
    }

    /// <summary>Waits for an IncidentOpened of each service, dropping redeliveries by message id as a consumer would.</summary>
    private async Task Published(string[] services, string what)
    {
        var seen = new Dictionary<Guid, string>();
        await Repository.Eventually(async () =>
        {
            foreach (var m in await Broker.Drain(EventsQueue, _vhost)) seen.TryAdd(m.MessageId, m.Message.GetProperty("service").GetString()!);
            return services.All(seen.ContainsValue);
        }, TimeSpan.FromSeconds(30), what);
    }
}
