using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>
/// Webhook load while PostgreSQL restarts and while the service is killed: every notification answered 200 is in
/// the store afterwards, the database outage answers 503 (which Alertmanager retries) and heals without a restart.
/// </summary>
[Collection(LiveStackCollection.Name)]
public sealed class LoadFaultTests(LiveStack stack) : IAsyncLifetime
{
    private readonly string _url = $"http://127.0.0.1:{Repository.FreePort()}";
    private readonly string _work = Directory.CreateTempSubdirectory("sre-load-fault-").FullName;
    private readonly Dictionary<string, string> _env = new()
    {
        ["ConnectionStrings__Marten"] = Environment.GetEnvironmentVariable("SRE_TEST_FAULT_PG")!,
        ["Marten__Schema"] = $"load_{Guid.NewGuid():N}"[..16],
        ["Bus__Transport"] = "InMemory",
    };
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ConcurrentBag<string> _acknowledged = [];
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private ChildProcess? _service;
    private int _sent;

    public async Task InitializeAsync() => _service = await Start();

    public Task DisposeAsync()
    {
        _service?.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    private Task<ChildProcess> Start() =>
        ChildProcess.Service(_url, Path.Combine(_work, $"service-{DateTime.UtcNow.Ticks}.log"), _env, stack.Http);

    /// <summary>Four senders, each notification a new alert of one group; what was answered 200 is remembered.</summary>
    private async Task Load(CancellationToken stop)
    {
        async Task Sender()
        {
            while (!stop.IsCancellationRequested)
            {
                var fingerprint = $"fp-{Interlocked.Increment(ref _sent)}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{_url}/api/v1/alertmanager/webhook")
                {
                    Content = new StringContent(Payloads.Notification([new Payloads.AlertSpec(fingerprint, Service: "load")]), Encoding.UTF8, "application/json"),
                    Headers = { Authorization = new("Bearer", Payloads.Token) },
                };
                string outcome;
                try
                {
                    var response = await _http.SendAsync(request, CancellationToken.None);
                    outcome = ((int)response.StatusCode).ToString();
                    if (response.StatusCode == HttpStatusCode.OK) _acknowledged.Add(fingerprint);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    outcome = "no answer";
                    await Task.Delay(50, CancellationToken.None);
                }
                _answers.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Sender, CancellationToken.None)));
    }

    private Task AcknowledgedAtLeast(int count, string what) =>
        Repository.Eventually(() => Task.FromResult(_acknowledged.Count >= count), TimeSpan.FromSeconds(60), what);

    private async Task<HashSet<string>> StoredFingerprints()
    {
        var page = await stack.Http.GetFromJsonAsync<JsonElement>($"{_url}/api/v1/incidents?service=load&pageSize=500");
        var stored = new HashSet<string>();
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var incident = await stack.Http.GetFromJsonAsync<JsonElement>($"{_url}/api/v1/incidents/{item.GetProperty("id").GetGuid()}");
            foreach (var alert in incident.GetProperty("alerts").EnumerateArray()) stored.Add(alert.GetProperty("fingerprint").GetString()!);
        }
        return stored;
    }

    [Fact]
    public async Task postgres_restarted_under_load_answers_503_meanwhile_and_the_service_heals_by_itself()
    {
        using var stop = new CancellationTokenSource();
        var load = Load(stop.Token);
        await AcknowledgedAtLeast(50, "the first notifications are stored");

        await stack.StopDatabase();
        try
        {
            await Repository.Eventually(() => Task.FromResult(_answers.ContainsKey("503")), TimeSpan.FromSeconds(30), "the outage answers 503");
        }
        finally
        {
            await stack.StartDatabase();
        }
        var afterRestart = _acknowledged.Count;
        await AcknowledgedAtLeast(afterRestart + 50, "notifications are stored again without restarting the service");
        await stop.CancelAsync();
        await load;

        Assert.Empty(_answers.Keys.Except(["200", "503"]));
        Assert.Empty(_acknowledged.Except(await StoredFingerprints()));
    }

    [Fact]
    public async Task a_service_killed_under_load_loses_nothing_it_answered_200()
    {
        using var stop = new CancellationTokenSource();
        var load = Load(stop.Token);
        await AcknowledgedAtLeast(50, "the first notifications are stored");

        _service!.Kill();
        var atKill = _acknowledged.Count;
        _service = await Start();
        await AcknowledgedAtLeast(atKill + 50, "the restarted service stores notifications");
        await stop.CancelAsync();
        await load;

        Assert.True(_answers.ContainsKey("no answer") || _answers.Keys.Any(k => k != "200"), string.Join(", ", _answers));
        Assert.Empty(_acknowledged.Except(await StoredFingerprints()));
        // The async daemon of the new process catches up with everything the killed one stored.
        await Repository.Eventually(async () => (await stack.Http.GetAsync($"{_url}/health/ready")).IsSuccessStatusCode
            && (await stack.Http.GetStringAsync($"{_url}/health/ready")).Contains("trails the event store by 0 events"),
            TimeSpan.FromSeconds(60), "the projections catch up");
    }
}
