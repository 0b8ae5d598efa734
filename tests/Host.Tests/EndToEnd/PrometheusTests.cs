using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Host.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>A real Prometheus scrapes the running service with the deploy configuration's job, and PromQL reads a budget back.</summary>
[Collection(LiveStackCollection.Name)]
public class PrometheusTests(LiveStack stack) : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("sre-prom-").FullName;
    private readonly string _url = $"http://127.0.0.1:{Repository.FreePort()}";
    private ChildProcess? _prometheus;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _prometheus?.Dispose();
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>deploy/prometheus/prometheus.yml with only the sre job (pointed at the test's service) and a 1s interval.</summary>
    private string Config()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Repository.PathOf("deploy/prometheus/prometheus.yml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var job = ((YamlSequenceNode)root["scrape_configs"]).Children.OfType<YamlMappingNode>().Single(j => j["job_name"].ToString() == "sre");
        ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)job["static_configs"]).Children[0])["targets"]).Children[0] =
            new YamlScalarNode(new Uri(stack.ServiceUrl).Authority);
        var config = new YamlMappingNode
        {
            { "global", new YamlMappingNode { { "scrape_interval", "1s" } } },
            { "scrape_configs", new YamlSequenceNode(job) },
        };
        var path = Path.Combine(_work, "prometheus.yml");
        using var writer = File.CreateText(path);
        new YamlStream(new YamlDocument(config)).Save(writer, assignAnchors: false);
        return path;
    }

    [Fact]
    public async Task prometheus_scrapes_the_service_and_promtool_reads_the_budget_of_an_slo()
    {
        var definition = SloSteps.Availability("prom-availability", service: "prom");
        Assert.True((await stack.Http.PutAsJsonAsync($"{stack.ServiceUrl}/api/v1/slos/prom-availability", definition)).IsSuccessStatusCode);
        // Slices that start after the definition (earlier ones never count) and end a moment from now.
        var now = DateTimeOffset.UtcNow;
        var slices = Enumerable.Range(1, 3).Select(i => new { start = now.AddSeconds(i), end = now.AddSeconds(i + 1), good = 995, total = 1000 });
        var observed = await stack.Http.PostAsJsonAsync($"{stack.ServiceUrl}/api/v1/slos/prom-availability/observations", new { slices });
        Assert.True(observed.IsSuccessStatusCode, await observed.Content.ReadAsStringAsync());
        var expected = 1.0;
        await Repository.Eventually(async () => (expected = (await stack.Http.GetFromJsonAsync<JsonElement>($"{stack.ServiceUrl}/api/v1/slos/prom-availability/status"))
            .GetProperty("budget").GetProperty("remaining").GetDouble()) < 0.99, TimeSpan.FromSeconds(90), "the slices count (the status is cached for its minute)");

        var prometheus = Environment.GetEnvironmentVariable("SRE_TEST_PROMETHEUS") ?? "/usr/bin/prometheus";
        _prometheus = ChildProcess.Start(prometheus,
            [$"--config.file={Config()}", $"--storage.tsdb.path={Path.Combine(_work, "data")}", $"--web.listen-address={new Uri(_url).Authority}"],
            Path.Combine(_work, "prometheus.log"), new Dictionary<string, string>());

        var promtool = Environment.GetEnvironmentVariable("SRE_TEST_PROMTOOL") ?? "/usr/bin/promtool";
        string output = "";
        await Repository.Eventually(async () =>
        {
            (_, output) = await Repository.Run(promtool, "query", "instant", _url, "sre_slo_budget_remaining{slo=\"prom-availability\",job=\"sre\"}");
            return output.Contains("=>");
        }, TimeSpan.FromSeconds(60), "Prometheus has scraped the budget");

        var value = double.Parse(output.Split("=>")[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.Equal(expected, value, 6);
        Assert.True(value < 1, output);
    }
}
