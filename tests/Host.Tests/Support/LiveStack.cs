using System.Diagnostics;
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
    public const int FaultPort = 55434;

    private readonly string _work = Directory.CreateTempSubdirectory("sre-e2e-").FullName;
    private Process? _service;
    private Process? _alertmanager;

    public string ServiceUrl { get; } = $"http://127.0.0.1:{Repository.FreePort()}";
    public string AlertmanagerUrl { get; } = $"http://127.0.0.1:{Repository.FreePort()}";
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };
    public string ServiceLog => Path.Combine(_work, "service.log");

    public async Task InitializeAsync()
    {
        await StartDatabase();
        _service = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Sre.Host.dll")], "service.log", new()
        {
            ["ConnectionStrings__Marten"] = Environment.GetEnvironmentVariable("SRE_TEST_FAULT_PG")
                ?? throw new InvalidOperationException("SRE_TEST_FAULT_PG is not set: run the tests with scripts/test."),
            // A schema of its own per run: the end-to-end tests start from an empty store.
            ["Marten__Schema"] = $"e2e_{Guid.NewGuid():N}"[..16],
            ["Urls"] = ServiceUrl,
            // Set, not inherited: the in-process test host puts its own token into this process's environment.
            ["Alertmanager__Tokens__0"] = WebhookToken(),
            // Its own in-memory bus: on the shared test broker it would compete for the integration tests' messages.
            ["Bus__Transport"] = "InMemory",
        });
        await Repository.Eventually(async () => (await Http.GetAsync($"{ServiceUrl}/api/v1/incidents")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "the service answers");

        var config = Path.Combine(_work, "alertmanager.yml");
        await File.WriteAllTextAsync(config, AlertmanagerConfigFor(ServiceUrl));
        var alertmanager = Environment.GetEnvironmentVariable("SRE_TEST_ALERTMANAGER") ?? "/usr/bin/prometheus-alertmanager";
        _alertmanager = Start(alertmanager,
            [$"--config.file={config}", $"--storage.path={Path.Combine(_work, "am-data")}",
             $"--web.listen-address={new Uri(AlertmanagerUrl).Authority}", "--cluster.listen-address="],
            "alertmanager.log", new());
        await Repository.Eventually(async () => (await Http.GetAsync($"{AlertmanagerUrl}/-/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "Alertmanager is ready");
    }

    public async Task DisposeAsync()
    {
        foreach (var p in new[] { _alertmanager, _service })
        {
            if (p is { HasExited: false }) p.Kill(entireProcessTree: true);
            p?.Dispose();
        }
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
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Repository.PathOf(AlertmanagerConfig))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var route = (YamlMappingNode)root["route"];
        route.Children[new YamlScalarNode("group_wait")] = new YamlScalarNode("1s");
        route.Children[new YamlScalarNode("group_interval")] = new YamlScalarNode("2s");
        var receiver = (YamlMappingNode)((YamlSequenceNode)root["receivers"]).Children[0];
        var webhook = (YamlMappingNode)((YamlSequenceNode)receiver["webhook_configs"]).Children[0];
        webhook.Children[new YamlScalarNode("url")] = new YamlScalarNode($"{serviceUrl}/api/v1/alertmanager/webhook");
        var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    public static string WebhookToken()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Repository.PathOf(AlertmanagerConfig))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var receiver = (YamlMappingNode)((YamlSequenceNode)root["receivers"]).Children[0];
        var webhook = (YamlMappingNode)((YamlSequenceNode)receiver["webhook_configs"]).Children[0];
        return ((YamlMappingNode)((YamlMappingNode)webhook["http_config"])["authorization"])["credentials"].ToString();
    }

    private Process Start(string file, string[] args, string logName, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info)!;
        var log = new StreamWriter(Path.Combine(_work, logName)) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

[CollectionDefinition(Name)]
public sealed class LiveStackCollection : ICollectionFixture<LiveStack>
{
    public const string Name = "live stack";
}
