using System.Net.Http.Json;
using Marten;
using Npgsql;
using Sre.Domain.Slos;
using Sre.Projections;

namespace Sre.Host.Tests.Support;

/// <summary>
/// Service processes (the Host built beside the tests) pulling SLIs from one Prometheus on the real clock, with slices
/// of <see cref="SliceLength"/>, a scrape interval of a second (so a lag of two) and a pull every second, so a test sees
/// many pulls in seconds. They share a Marten schema of their own in the tests' database as one cluster
/// (<see cref="ChildProcess.Clustered"/>) and need no broker; a store of
/// the service's configuration reads what they stored.
/// </summary>
public sealed class PullingServices : IAsyncDisposable
{
    public static readonly TimeSpan SliceLength = TimeSpan.FromSeconds(10);

    private readonly string _work = Directory.CreateTempSubdirectory("sre-pulling-").FullName;
    private readonly string _schema = $"pull_{Guid.NewGuid():N}"[..16];
    private readonly Dictionary<string, string> _env;
    private readonly List<ChildProcess> _processes = [];
    private readonly DocumentStore _store;

    public PullingServices(string prometheusUrl)
    {
        _env = new Dictionary<string, string>(TestKeys.Environment())
        {
            ["ConnectionStrings__Marten"] = TestEnvironment.ConnectionString,
            ["Marten__Schema"] = _schema,
            ["Bus__Transport"] = "InMemory",
            ["Prometheus__Url"] = prometheusUrl,
            ["Prometheus__SliceLength"] = SliceLength.ToString(),
            ["Prometheus__ScrapeInterval"] = "00:00:01",
            ["Prometheus__PullInterval"] = "00:00:01",
        };
        foreach (var (name, value) in ChildProcess.Clustered) _env[name] = value;
        _store = DocumentStore.For(o => o.ConfigureSreStore(TestEnvironment.ConnectionString, _schema));
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10), DefaultRequestHeaders = { Authorization = new("Bearer", TestKeys.Admin) } };

    /// <summary>Starts one more service process and answers its URL and the process, once it answers requests.</summary>
    public async Task<(string Url, ChildProcess Process)> Start()
    {
        var url = $"http://127.0.0.1:{Repository.FreePort()}";
        var process = await ChildProcess.Service(url, Path.Combine(_work, $"service-{new Uri(url).Port}.log"), _env, Http);
        lock (_processes) _processes.Add(process);
        return (url, process);
    }

    public async Task DefineSlo(string url, object definition)
    {
        var response = await Http.PostAsJsonAsync($"{url}/api/v1/slos", definition);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The events of an SLO's stream, as the services stored them.</summary>
    public async Task<IReadOnlyList<object>> Events(string slo)
    {
        await using var session = _store.QuerySession();
        return (await session.Events.FetchStreamAsync(SloIds.For(slo))).Select(e => e.Data).ToList();
    }

    /// <summary>Every slice the SLO's <see cref="SliObserved"/> events hold, in the order stored (a slice stored twice is there twice).</summary>
    public static List<ObservedSlice> Slices(IEnumerable<object> events) =>
        events.OfType<SliObserved>().SelectMany(o => o.Slices).Select(s => new ObservedSlice(s.Start, s.End, s.Total, s.Good)).ToList();

    /// <summary>Where the SLO's pull has got to (the end of the last slice asked for), or null before its first pull.</summary>
    public static DateTimeOffset? PulledThrough(IEnumerable<object> events) => events.OfType<SliPulled>().LastOrDefault()?.Through;

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes) p.Dispose();
        Http.Dispose();
        await _store.DisposeAsync();
        await using var connection = new NpgsqlConnection(TestEnvironment.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {_schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
