using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JasperFx;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Deploy;

/// <summary>
/// deploy/kubernetes cannot be applied here (no cluster): every overlay is rendered by kustomize, every object validated
/// against its kind's model or schema, and what the service needs of them checked here.
/// </summary>
public class KubernetesManifestsTests
{
    public static TheoryData<string> Overlays => new(Manifests.Overlays);

    private static Task<IReadOnlyList<Manifest>> Render(string overlay) => Manifests.Render(overlay);

    [Theory, MemberData(nameof(Overlays))]
    public async Task every_overlay_renders_and_every_object_is_valid_for_its_kind(string overlay)
    {
        var all = await Render(overlay);

        Assert.Superset(
            new HashSet<string> { "Deployment", "Service", "ServiceMonitor", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                "ConfigMap", "Job", "PrometheusRule", "AlertmanagerConfig", "ServiceAccount" },
            all.Select(m => m.Kind).ToHashSet());
        Assert.All(all, m => Assert.Empty(Manifests.Problems(m)));
    }

    [Fact]
    public void the_secret_example_is_valid_and_not_part_of_any_overlay()
    {
        var secrets = Manifests.Load("deploy/kubernetes/secret.example.yaml");
        Assert.Equal(["sre-secrets", "sre-alertmanager-token"], secrets.Select(s => s.Name));
        Assert.All(secrets, s => Assert.Empty(Manifests.Problems(s)));
    }

    [Fact]
    public void a_misspelt_field_is_refused_by_the_models_and_by_the_schemas()
    {
        var deployment = Manifests.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n").Single();
        var monitor = Manifests.Parse("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  selector: {}\n  endpoint: []\n").Single();
        var unknownCrd = Manifests.Parse("apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: x\nspec: {}\n").Single();

        Assert.Contains(Manifests.Problems(deployment), p => p.Contains("replica"));
        Assert.NotEmpty(Manifests.Problems(monitor));
        Assert.NotEmpty(Manifests.Problems(unknownCrd));
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task the_deployment_runs_two_replicas_and_rolls_without_losing_one(string overlay)
    {
        var spec = (await Render(overlay)).Single("Deployment").Spec;

        Assert.Equal(2, (int)spec["replicas"]!);
        Assert.Equal("RollingUpdate", (string)spec["strategy"]!["type"]!);
        Assert.Equal(0, (int)spec["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
        Assert.True((int)spec["strategy"]!["rollingUpdate"]!["maxSurge"]! >= 1);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task the_probes_ask_the_services_health_endpoints_on_its_port(string overlay)
    {
        var container = (await Render(overlay)).Single("Deployment").Spec["template"]!["spec"]!["containers"]![0]!;
        var port = container["ports"]!.AsArray().Single(p => (string)p!["name"]! == "http")!;

        Assert.Equal(5080, (int)port["containerPort"]!);
        Assert.Equal("/health/live", (string)container["livenessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal("/health/ready", (string)container["readinessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal("/health/live", (string)container["startupProbe"]!["httpGet"]!["path"]!);
        Assert.All(new[] { "livenessProbe", "readinessProbe", "startupProbe" },
            probe => Assert.Equal("http", (string)container[probe]!["httpGet"]!["port"]!));
        // The start was measured at 3-3.5 s: the startup probe must allow far more than that before the pod is restarted.
        var startup = container["startupProbe"]!;
        Assert.True((int)startup["periodSeconds"]! * (int)startup["failureThreshold"]! >= 60);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task every_container_has_cpu_and_memory_requests_within_its_limits(string overlay)
    {
        var containers = (await Render(overlay)).PodTemplates().SelectMany(t => t.Pod["containers"]!.AsArray()).ToList();

        Assert.Equal(2, containers.Count);
        foreach (var resources in containers.Select(c => c!["resources"]!))
        {
            Assert.True(Cores((string)resources["requests"]!["cpu"]!) <= Cores(resources["limits"]!["cpu"]!.ToString()));
            Assert.True(Bytes((string)resources["requests"]!["memory"]!) <= Bytes((string)resources["limits"]!["memory"]!));
        }
        // The service's own: the memory limit above the highest resident memory bench/memory measured (421 MB churned).
        var service = containers[0]!["resources"]!;
        Assert.True(Bytes((string)service["limits"]!["memory"]!) > 421 * 1024 * 1024);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task pods_run_as_non_root_on_a_read_only_root_without_privileges(string overlay)
    {
        foreach (var (owner, pod) in (await Render(overlay)).PodTemplates())
        {
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!, owner.Name);
            Assert.NotEqual(0, (int)pod["securityContext"]!["runAsUser"]!);
            Assert.False((bool)pod["automountServiceAccountToken"]!, owner.Name);
            foreach (var container in pod["containers"]!.AsArray())
            {
                var security = container!["securityContext"]!;
                Assert.True((bool)security["readOnlyRootFilesystem"]!, owner.Name);
                Assert.False((bool)security["allowPrivilegeEscalation"]!, owner.Name);
                Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
                // The one writable path is /tmp, on an emptyDir of the pod.
                var mount = Assert.Single(container["volumeMounts"]!.AsArray());
                Assert.Equal("/tmp", (string)mount!["mountPath"]!);
                var volume = pod["volumes"]!.AsArray().Single(v => (string)v!["name"]! == (string)mount["name"]!);
                Assert.NotNull(volume!["emptyDir"]);
            }
        }
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task one_pod_at_a_time_may_be_disrupted_and_the_autoscaler_is_kubectl_autoscale_min_2_max_4_cpu_80(string overlay)
    {
        var all = await Render(overlay);
        var deployment = all.Single("Deployment");
        var pdb = all.Single("PodDisruptionBudget").Spec;
        var hpa = all.Single("HorizontalPodAutoscaler").Spec;

        Assert.Equal(1, (int)pdb["maxUnavailable"]!);
        Assert.Null(pdb["minAvailable"]);
        Assert.True(JsonNode.DeepEquals(deployment.Spec["selector"]!["matchLabels"], pdb["selector"]!["matchLabels"]));

        Assert.Equal("autoscaling/v2", all.Single("HorizontalPodAutoscaler").ApiVersion);
        Assert.Equal(("apps/v1", "Deployment", deployment.Name),
            ((string)hpa["scaleTargetRef"]!["apiVersion"]!, (string)hpa["scaleTargetRef"]!["kind"]!, (string)hpa["scaleTargetRef"]!["name"]!));
        Assert.Equal((2, 4), ((int)hpa["minReplicas"]!, (int)hpa["maxReplicas"]!));
        var metric = Assert.Single(hpa["metrics"]!.AsArray())!;
        Assert.Equal(("Resource", "cpu", "Utilization", 80),
            ((string)metric["type"]!, (string)metric["resource"]!["name"]!, (string)metric["resource"]!["target"]!["type"]!,
             (int)metric["resource"]!["target"]!["averageUtilization"]!));
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task the_service_and_its_monitor_reach_the_api_pods_and_their_metrics(string overlay)
    {
        var all = await Render(overlay);
        var apiLabels = all.Single("Deployment").Spec["template"]!["metadata"]!["labels"]!.AsObject();
        var jobLabels = all.Single("Job").Spec["template"]!["metadata"]!["labels"]!.AsObject();
        var service = all.Single("Service");
        var selector = service.Spec["selector"]!.AsObject();

        bool Selects(JsonObject labels) => selector.All(s => labels[s.Key]?.ToString() == s.Value!.ToString());
        Assert.True(Selects(apiLabels));
        Assert.False(Selects(jobLabels));
        Assert.Equal("http", (string)service.Spec["ports"]![0]!["targetPort"]!);

        var monitor = all.Single("ServiceMonitor").Spec;
        var endpoint = Assert.Single(monitor["endpoints"]!.AsArray())!;
        Assert.Equal(("http", "/metrics"), ((string)endpoint["port"]!, (string)endpoint["path"]!));
        Assert.All(monitor["selector"]!["matchLabels"]!.AsObject(),
            l => Assert.Equal(l.Value!.ToString(), service.Json["metadata"]!["labels"]![l.Key]?.ToString()));
    }

    private static readonly Regex SecretLooking = new("pass|secret|token|credential|sha256|connectionstring|apikey|auth__keys|bearer",
        RegexOptions.IgnoreCase);

    [Theory, MemberData(nameof(Overlays))]
    public async Task the_config_map_holds_no_secret_and_the_secrets_hold_what_the_service_needs(string overlay)
    {
        var config = (await Render(overlay)).ConfigData();

        Assert.NotEmpty(config);
        Assert.All(config, c => Assert.False(SecretLooking.IsMatch(c.Key), c.Key));
        Assert.All(config, c => Assert.DoesNotContain("password=", c.Value, StringComparison.OrdinalIgnoreCase));

        var secret = Manifests.Load("deploy/kubernetes/secret.example.yaml").Single(s => s.Name == "sre-secrets");
        var keys = secret.Json["stringData"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "ConnectionStrings__Marten", "Bus__Username", "Bus__Password" }, keys);
        // appsettings.json lists the development keys: the Secret overrides the hash of each of them, so none is accepted.
        var developmentKeys = JsonNode.Parse(File.ReadAllText(Repository.PathOf("src/Host/appsettings.json")))!["Auth"]!["Keys"]!.AsArray();
        Assert.NotEmpty(developmentKeys);
        Assert.All(Enumerable.Range(0, developmentKeys.Count), i => Assert.Contains($"Auth__Keys__{i}__Sha256", keys));
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task the_grace_period_covers_the_pre_stop_pause_and_the_hosts_shutdown_timeout(string overlay)
    {
        var all = await Render(overlay);
        var config = all.ConfigData();
        var pod = all.Single("Deployment").Spec["template"]!["spec"]!;
        var preStop = pod["containers"]![0]!["lifecycle"]!["preStop"]!["exec"]!["command"]!.AsArray().Select(c => (string)c!).ToList();

        // What the host makes of the ConfigMap, as the environment variables it becomes.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(config.Select(c => KeyValuePair.Create(c.Key.Replace("__", ":"), (string?)c.Value)));
        await using var app = builder.Build();
        var shutdown = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        Assert.True(config.ContainsKey("shutdownTimeoutSeconds"), "the shutdown timeout is set, not left to the framework's default");
        Assert.Equal(TimeSpan.FromSeconds(int.Parse(config["shutdownTimeoutSeconds"])), shutdown);
        Assert.Equal("sleep", preStop[0]);
        var grace = TimeSpan.FromSeconds((int)pod["terminationGracePeriodSeconds"]!);
        Assert.True(grace >= TimeSpan.FromSeconds(int.Parse(preStop[1])) + shutdown, $"grace {grace}, shutdown {shutdown}");
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task pods_create_no_schema_and_the_migration_job_applies_it_with_their_settings(string overlay)
    {
        var all = await Render(overlay);
        var deployment = all.Single("Deployment").Spec["template"]!["spec"]!["containers"]![0]!;
        var job = all.Single("Job").Spec["template"]!["spec"]!["containers"]![0]!;

        Assert.Equal(AutoCreate.None, Enum.Parse<AutoCreate>(all.ConfigData()["Marten__AutoCreate"]));
        Assert.Equal(["db-apply"], job["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal((string)deployment["image"]!, (string)job["image"]!);
        Assert.True(JsonNode.DeepEquals(deployment["envFrom"], job["envFrom"]));
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task logs_are_announced_to_filebeat_as_json_lines_and_traces_go_to_the_overlays_collector(string overlay)
    {
        var all = await Render(overlay);
        var annotations = all.Single("Deployment").Spec["template"]!["metadata"]!["annotations"]!.AsObject();

        Assert.Equal("true", (string)annotations["co.elastic.logs/enabled"]!);
        Assert.Equal("true", (string)annotations["co.elastic.logs/json.keys_under_root"]!);
        Assert.Equal("message", (string)annotations["co.elastic.logs/json.message_key"]!);
        Assert.True(Uri.TryCreate(all.ConfigData()["Telemetry__OtlpEndpoint"], UriKind.Absolute, out var otlp));
        Assert.Equal(4317, otlp!.Port);
    }

    [Theory, MemberData(nameof(Overlays))]
    public async Task alertmanager_sends_to_the_webhook_of_the_overlays_service(string overlay)
    {
        var all = await Render(overlay);
        var service = all.Single("Service");
        var namespaceName = (string)service.Json["metadata"]!["namespace"]!;
        var receiver = all.Single("AlertmanagerConfig").Spec["receivers"]![0]!["webhookConfigs"]![0]!;

        Assert.Equal($"http://{service.Name}.{namespaceName}.svc.cluster.local/api/v1/alertmanager/webhook", (string)receiver["url"]!);
        Assert.Equal("Bearer", (string)receiver["httpConfig"]!["authorization"]!["type"]!);
    }

    [Fact]
    public async Task the_prometheus_rule_example_passes_promtool()
    {
        var rule = Manifests.Load("deploy/kubernetes/base/prometheusrule.yaml").Single();
        var file = Path.Combine(Directory.CreateTempSubdirectory("sre-k8s-").FullName, "rules.yml");
        await File.WriteAllTextAsync(file, new JsonObject { ["groups"] = rule.Spec["groups"]!.DeepClone() }.ToJsonString());

        var (code, output) = await Repository.Run(Environment.GetEnvironmentVariable("SRE_TEST_PROMTOOL") ?? "promtool", "check", "rules", file);
        Assert.True(code == 0, output);
        Assert.Contains(rule.Spec["groups"]!.AsArray(), g => ((string)g!["name"]!).EndsWith("-alerts"));
    }

    private static double Cores(string quantity) =>
        quantity.EndsWith('m') ? double.Parse(quantity[..^1]) / 1000 : double.Parse(quantity);

    private static long Bytes(string quantity) =>
        quantity.EndsWith("Gi") ? long.Parse(quantity[..^2]) << 30
        : quantity.EndsWith("Mi") ? long.Parse(quantity[..^2]) << 20
        : long.Parse(quantity);
}
