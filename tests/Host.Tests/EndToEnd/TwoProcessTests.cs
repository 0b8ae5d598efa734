using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sre.Host.Tests.Support;
using C = Sre.Contracts;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>
/// Two service processes on one database and one broker (a schema and a virtual host of their own): consumers
/// compete, integration events are published once, by one process, and when that process is killed the
/// other takes over from the checkpoint.
/// </summary>
// In the integration collection: the broker outage test there must not run at the same time.
[Collection(IntegrationCollection.Name)]
public sealed class TwoProcessTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("sre-two-").FullName;
    private readonly string _vhost = $"sre-two-{Guid.NewGuid():N}"[..20];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10), DefaultRequestHeaders = { Authorization = new("Bearer", TestKeys.Admin) } };
    private readonly string[] _urls = [$"http://127.0.0.1:{Repository.FreePort()}", $"http://127.0.0.1:{Repository.FreePort()}"];
    private readonly List<ChildProcess> _processes = [];
    private Dictionary<string, string> _env = new();

    public async Task InitializeAsync()
    {
        await Broker.CreateVirtualHost(_vhost);
        await Broker.Bind("test-two-process-events", [typeof(C.IncidentOpened)], _vhost);
        _env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = TestEnvironment.ConnectionString,
            ["Marten__Schema"] = $"two_{Guid.NewGuid():N}"[..16],
            ["Bus__Port"] = TestEnvironment.RabbitMqPort.ToString(),
            ["Bus__VirtualHost"] = _vhost,
        };
        foreach (var (name, value) in TestKeys.Environment().Concat(ChildProcess.Clustered)) _env[name] = value;
        for (var i = 0; i < _urls.Length; i++)
            _processes.Add(await Start(i));
    }

    private async Task<ChildProcess> Start(int i) =>
        await ChildProcess.Service(_urls[i], Path.Combine(_work, $"service-{i}-{DateTime.UtcNow.Ticks}.log"), _env, _http);

    public Task DisposeAsync()
    {
        foreach (var p in _processes) p.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    private Task Fire(string url, string fingerprint) =>
        Notify(url, Payloads.Notification([new Payloads.AlertSpec(fingerprint, Service: fingerprint)]));

    private async Task Notify(string url, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/v1/alertmanager/webhook")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Payloads.Token);
        Assert.True((await _http.SendAsync(request)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task consumers_compete_events_are_published_once_and_a_killed_publisher_is_replaced_from_the_checkpoint()
    {
        // Both processes consume from the same queues.
        await Repository.Eventually(async () => await Broker.Consumers("record-deployment", _vhost) == 2, TimeSpan.FromSeconds(30),
            "both processes consume record-deployment");

        // Incidents opened through either process are published once each, by whichever holds the daemon.
        var before = new[] { "one", "two", "three", "four" };
        for (var i = 0; i < before.Length; i++) await Fire(_urls[i % 2], before[i]);
        var received = new List<Broker.Received>();
        await Repository.Eventually(async () =>
        {
            received.AddRange(await Broker.Drain("test-two-process-events", _vhost));
            return received.Count >= before.Length;
        }, TimeSpan.FromSeconds(30), "the four incidents are published");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a second publisher would show up within its polling time
        received.AddRange(await Broker.Drain("test-two-process-events", _vhost));
        Assert.Equal(before.Length, received.Count);

        // Kill one process, produce through the other; then bring it back and kill the other. One of the two kills
        // hits the process that was publishing, so the survivor must have taken over from the checkpoint.
        await KillAndCarryOn(killed: 0, survivor: 1, ["five", "six"]);
        _processes[0] = await Start(0);
        await KillAndCarryOn(killed: 1, survivor: 0, ["seven", "eight"]);
    }

    [Fact]
    public async Task a_write_through_one_process_drops_the_cached_read_of_the_other_at_once()
    {
        var define = await _http.PutAsync($"{_urls[0]}/api/v1/slos/two-process", JsonContent.Create(SloSteps.Availability("two-process")));
        Assert.True(define.IsSuccessStatusCode, await define.Content.ReadAsStringAsync());
        var defined = (await _http.GetFromJsonAsync<JsonElement>($"{_urls[1]}/api/v1/slos/two-process")).GetProperty("defined").GetProperty("at").GetDateTimeOffset();
        async Task<double> Total() =>
            (await _http.GetFromJsonAsync<JsonElement>($"{_urls[1]}/api/v1/slos/two-process/status")).GetProperty("sli").GetProperty("total").GetDouble();
        Assert.Equal(0, await Total()); // now cached by process 1

        var slice = new { start = defined.AddMilliseconds(1), end = defined.AddMilliseconds(2), good = 99, total = 100 };
        var observed = await _http.PostAsJsonAsync($"{_urls[0]}/api/v1/slos/two-process/observations", new { slices = new[] { slice } });
        Assert.True(observed.IsSuccessStatusCode, await observed.Content.ReadAsStringAsync());

        // NOTIFY arrives in milliseconds; without it process 1 would answer its cached minute. The deadline leaves
        // room for a loaded machine, not for the minute.
        await Repository.Eventually(async () => await Total() == 100, TimeSpan.FromSeconds(5), "process 1 answers the new state");
    }

    [Fact]
    public async Task a_notification_through_one_process_drops_the_cached_incident_of_the_other_at_once()
    {
        // The webhook appends its events itself (ManyStreams), so it also tells the other processes itself.
        await Fire(_urls[0], "cross-one");
        var listed = await _http.GetFromJsonAsync<JsonElement>($"{_urls[1]}/api/v1/incidents?service=cross-one");
        var id = listed.GetProperty("items")[0].GetProperty("id").GetString();
        async Task<int> Alerts() =>
            (await _http.GetFromJsonAsync<JsonElement>($"{_urls[1]}/api/v1/incidents/{id}")).GetProperty("alerts").GetArrayLength();
        Assert.Equal(1, await Alerts()); // now cached by process 1

        await Notify(_urls[0], Payloads.Notification([new Payloads.AlertSpec("cross-one", Service: "cross-one"), new Payloads.AlertSpec("cross-two", Service: "cross-one")]));

        await Repository.Eventually(async () => await Alerts() == 2, TimeSpan.FromSeconds(5), "process 1 answers the incident with its new alert");
    }

    [Fact]
    public async Task a_process_sends_a_groups_alerts_to_the_incident_another_process_opened_for_it()
    {
        static Payloads.AlertSpec Alert(string fingerprint, string status = "firing") => AlertOf("handover", fingerprint, status);
        // Process 1 opens the group's first incident and resolves it: its webhook writer now holds that incident.
        await Notify(_urls[1], Payloads.Notification([Alert("first")]));
        await Notify(_urls[1], Payloads.Notification([Alert("first", "resolved")]));
        // Process 0 opens the group's second incident. The first incident's stream does not move.
        await Notify(_urls[0], Payloads.Notification([Alert("second")]));

        // Its alert resolved through process 1 resolves the second incident, not the one process 1 held.
        await Notify(_urls[1], Payloads.Notification([Alert("second", "resolved")]));

        var items = await IncidentsOf("handover");
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("resolved", i.GetProperty("status").GetString()));
        foreach (var item in items) Assert.Equal(1, (await AlertsOf(item)).GetArrayLength());
    }

    [Fact]
    public async Task a_process_holding_every_alert_of_an_incident_sees_the_alert_another_process_added()
    {
        static Payloads.AlertSpec Alert(string fingerprint, string status = "firing") => AlertOf("shared", fingerprint, status);
        // Process 1 opens the incident: its writer holds it with every alert it has, decided then without reading.
        await Notify(_urls[1], Payloads.Notification([Alert("a")]));
        // Process 0 adds a second alert to the same incident.
        await Notify(_urls[0], Payloads.Notification([Alert("b")]));

        // The alert process 1 knew is resolved through it: the other still fires, so the incident stays open.
        await Notify(_urls[1], Payloads.Notification([Alert("a", "resolved")]));

        var incident = Assert.Single(await IncidentsOf("shared"));
        Assert.Equal("triggered", incident.GetProperty("status").GetString());
        Assert.Equal(["a:resolved", "b:firing"],
            (await AlertsOf(incident)).EnumerateArray().Select(a => $"{a.GetProperty("fingerprint").GetString()}:{a.GetProperty("status").GetString()}").Order());
    }

    [Fact]
    public async Task a_service_killed_while_it_cannot_publish_resumes_from_the_checkpoint_after_a_restart()
    {
        _processes[1].Kill();
        var services = new[] { "nine", "ten", "eleven" };
        await Broker.Stop();
        try
        {
            foreach (var s in services) await Fire(_urls[0], s);
            // The events are stored; their publishing is stuck waiting for the broker when the process dies.
            _processes[0].Kill();
        }
        finally
        {
            await Broker.Start();
        }
        _processes[0] = await Start(0);

        await Published(services, "the restarted service publishes what was stored before it died");
    }

    private static Payloads.AlertSpec AlertOf(string service, string fingerprint, string status) =>
        new(fingerprint, status, Service: service, EndsAt: status == "resolved" ? Payloads.Start.AddMinutes(30) : null);

    private async Task<List<JsonElement>> IncidentsOf(string service) =>
        (await _http.GetFromJsonAsync<JsonElement>($"{_urls[1]}/api/v1/incidents?service={service}")).GetProperty("items").EnumerateArray().ToList();

    private async Task<JsonElement> AlertsOf(JsonElement incident) =>
        (await _http.GetFromJsonAsync<JsonElement>($"{_urls[1]}/api/v1/incidents/{incident.GetProperty("id").GetString()}")).GetProperty("alerts");

    private async Task KillAndCarryOn(int killed, int survivor, string[] services)
    {
        _processes[killed].Kill();
        foreach (var s in services) await Fire(_urls[survivor], s);
        await Published(services, $"process {survivor} publishes what came after process {killed} was killed");
    }

    /// <summary>Waits for an IncidentOpened of each service, dropping redeliveries by message id as a consumer would.</summary>
    private async Task Published(string[] services, string what)
    {
        var seen = new Dictionary<Guid, string>();
        await Repository.Eventually(async () =>
        {
            foreach (var m in await Broker.Drain("test-two-process-events", _vhost)) seen.TryAdd(m.MessageId, m.Message.GetProperty("service").GetString()!);
            return services.All(seen.ContainsValue);
        }, TimeSpan.FromSeconds(30), what);
    }
}
