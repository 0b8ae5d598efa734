using YamlDotNet.RepresentationModel;

namespace Sre.Host.Tests.Support;

/// <summary>
/// The service as a real process on a real port, on its own PostgreSQL cluster (which the fault tests stop
/// and start), and a real Alertmanager whose webhook config is deploy/alertmanager/alertmanager.yml with the
/// URL pointed at this service and timings short enough for a test.
/// </summary>
public sealed class LiveStack : IAsyncLifetime
{
    public const string AlertmanagerConfig = "deploy/alertmanager/alertmanager.yml";
    public const string FaultCluster = "fault";
    /// <summary>The fault cluster's port, from its connection string (scripts/test lets a checkout choose it).</summary>
    public static int FaultPort => new Npgsql.NpgsqlConnectionStringBuilder(FaultConnectionString).Port;

    private static string FaultConnectionString => Environment.GetEnvironmentVariable("SRE_TEST_FAULT_PG")
        ?? throw new InvalidOperationException("SRE_TEST_FAULT_PG is not set: run the tests with scripts/test.");

    private readonly string _work = Directory.CreateTempSubdirectory("sre-e2e-").FullName;
    private ChildProcess? _service;
    private ChildProcess? _alertmanager;

    public string ServiceUrl { get; } = $"http://127.0.0.1:{Repository.FreePort()}";
    public string AlertmanagerUrl { get; } = $"http://127.0.0.1:{Repository.FreePort()}";
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10), DefaultRequestHeaders = { Authorization = new("Bearer", TestKeys.Admin) } };
    public string ServiceLog => Path.Combine(_work, "service.log");

    public async Task InitializeAsync()
    {
        await StartDatabase();
        _service = await ChildProcess.Service(ServiceUrl, ServiceLog, new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = FaultConnectionString,
            // A schema of its own per run: the end-to-end tests start from an empty store.
            ["Marten__Schema"] = $"e2e_{Guid.NewGuid():N}"[..16],
            // Its own in-memory bus: on the shared test broker it would compete for the integration tests' messages.
            ["Bus__Transport"] = "InMemory",
        }.Concat(TestKeys.Environment()).ToDictionary(), Http);

        var config = Path.Combine(_work, "alertmanager.yml");
        await File.WriteAllTextAsync(config, AlertmanagerConfigFor(ServiceUrl));
        var alertmanager = Environment.GetEnvironmentVariable("SRE_TEST_ALERTMANAGER") ?? "/usr/bin/prometheus-alertmanager";
        _alertmanager = ChildProcess.Start(alertmanager,
            [$"--config.file={config}", $"--storage.path={Path.Combine(_work, "am-data")}",
             $"--web.listen-address={new Uri(AlertmanagerUrl).Authority}", "--cluster.listen-address="],
            Path.Combine(_work, "alertmanager.log"), new Dictionary<string, string>());
        await Repository.Eventually(async () => (await Http.GetAsync($"{AlertmanagerUrl}/-/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "Alertmanager is ready");
    }

    public async Task DisposeAsync()
    {
        _alertmanager?.Dispose();
        _service?.Dispose();
        await StartDatabase();
        Http.Dispose();
    }

    public async Task StopDatabase() => await PgCtl("stop", FaultCluster);

    public async Task StartDatabase() => await PgCtl("start", FaultCluster, FaultPort.ToString());

    private static async Task PgCtl(params string[] args)
    {
        var script = Environment.GetEnvironmentVariable("SRE_TEST_PG_CTL") ?? Repository.PathOf("scripts/pg");
        var (code, output) = await Repository.Run(script, args);
        if (code != 0) throw new InvalidOperationException($"scripts/pg {string.Join(' ', args)}: {output}");
    }

    /// <summary>The deploy config, with only the webhook URL and the route's timings changed.</summary>
    public static string AlertmanagerConfigFor(string serviceUrl)
    {
        var (yaml, root, webhook) = DeployConfig();
        var route = (YamlMappingNode)root["route"];
        route.Children[new YamlScalarNode("group_wait")] = new YamlScalarNode("1s");
        route.Children[new YamlScalarNode("group_interval")] = new YamlScalarNode("2s");
        webhook.Children[new YamlScalarNode("url")] = new YamlScalarNode($"{serviceUrl}/api/v1/alertmanager/webhook");
        var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>The bearer token the deploy config's webhook sends.</summary>
    public static string WebhookToken() =>
        ((YamlMappingNode)((YamlMappingNode)DeployConfig().Webhook["http_config"])["authorization"])["credentials"].ToString();

    private static (YamlStream Yaml, YamlMappingNode Root, YamlMappingNode Webhook) DeployConfig()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Repository.PathOf(AlertmanagerConfig))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var receiver = (YamlMappingNode)((YamlSequenceNode)root["receivers"]).Children[0];
        return (yaml, root, (YamlMappingNode)((YamlSequenceNode)receiver["webhook_configs"]).Children[0]);
    }
}

[CollectionDefinition(Name)]
public sealed class LiveStackCollection : ICollectionFixture<LiveStack>
{
    public const string Name = "live stack";
}
