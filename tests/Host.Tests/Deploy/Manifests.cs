using System.Text.Json.Nodes;
using Json.Schema;
using k8s;
using Sre.Host.Tests.Support;
using YamlDotNet.Serialization;

namespace Sre.Host.Tests.Deploy;

/// <summary>One rendered Kubernetes object: its YAML as kustomize wrote it, and the same as JSON to read and validate.</summary>
public sealed record Manifest(string Yaml, JsonObject Json)
{
    public string ApiVersion => (string)Json["apiVersion"]!;
    public string Kind => (string)Json["kind"]!;
    public string Name => (string)Json["metadata"]!["name"]!;
    public JsonNode Spec => Json["spec"]!;
}

/// <summary>
/// deploy/kubernetes rendered by kubectl's built-in kustomize (no cluster needed), and every object checked: the Kubernetes
/// kinds through the KubernetesClient package's typed models, loaded strictly (an unknown field throws); the
/// Prometheus Operator's kinds against their JSON schemas kept in deploy/kubernetes/schemas.
/// </summary>
public static class Manifests
{
    public static readonly string[] Overlays = ["dev", "production"];

    private static string Kubectl => Environment.GetEnvironmentVariable("SRE_TEST_KUBECTL") ?? "kubectl";

    private static readonly Dictionary<string, string> Schemas = new()
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = "servicemonitor_v1.json",
        ["monitoring.coreos.com/v1/PrometheusRule"] = "prometheusrule_v1.json",
        ["monitoring.coreos.com/v1alpha1/AlertmanagerConfig"] = "alertmanagerconfig_v1alpha1.json",
    };

    public static async Task<IReadOnlyList<Manifest>> Render(string overlay)
    {
        var (code, output) = await Repository.Run(Kubectl, "kustomize", Repository.PathOf($"deploy/kubernetes/overlays/{overlay}"));
        Assert.True(code == 0, $"kubectl kustomize {overlay}: {output}");
        return Parse(output);
    }

    public static IReadOnlyList<Manifest> Load(string relativePath) => Parse(File.ReadAllText(Repository.PathOf(relativePath)));

    public static IReadOnlyList<Manifest> Parse(string yaml) =>
        yaml.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(doc => doc.Split('\n').Any(line => line.Length > 0 && !line.StartsWith('#') && line != "---"))
            .Select(doc => new Manifest(doc, ToJson(doc)))
            .ToList();

    private static JsonObject ToJson(string yaml)
    {
        var value = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml);
        return JsonNode.Parse(new SerializerBuilder().JsonCompatible().Build().Serialize(value))!.AsObject();
    }

    /// <summary>The problems of one object against its kind's model or schema; empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(Manifest m)
    {
        if (Schemas.TryGetValue($"{m.ApiVersion}/{m.Kind}", out var file))
        {
            var schema = JsonSchema.FromFile(Repository.PathOf($"deploy/kubernetes/schemas/{file}"));
            var result = schema.Evaluate(m.Json, new EvaluationOptions { OutputFormat = OutputFormat.List });
            return result.IsValid
                ? []
                : result.Details.Where(d => d.Errors is not null)
                    .SelectMany(d => d.Errors!.Select(e => $"{m.Kind} {m.Name} {d.InstanceLocation}: {e.Value}"))
                    .ToList();
        }
        if (m.ApiVersion.Contains("monitoring.coreos.com")) return [$"{m.Kind} {m.Name}: no schema kept for {m.ApiVersion}"];
        try
        {
            var loaded = KubernetesYaml.LoadAllFromString(m.Yaml, strict: true);
            return loaded.Count == 1 && loaded[0] is IKubernetesObject ? [] : [$"{m.Kind} {m.Name}: not one Kubernetes object"];
        }
        catch (Exception e)
        {
            return [$"{m.Kind} {m.Name}: {e.GetBaseException().Message}"];
        }
    }

    public static Manifest Single(this IEnumerable<Manifest> all, string kind) => all.Single(m => m.Kind == kind);

    /// <summary>The pod templates of the objects that run pods (the Deployment and the migration Job).</summary>
    public static IEnumerable<(Manifest Owner, JsonNode Pod)> PodTemplates(this IEnumerable<Manifest> all) =>
        all.Where(m => m.Kind is "Deployment" or "Job").Select(m => (m, m.Spec["template"]!["spec"]!));

    /// <summary>The data of the ConfigMap (made by the configMapGenerator, so its name has a hash suffix).</summary>
    public static Dictionary<string, string> ConfigData(this IEnumerable<Manifest> all) =>
        all.Single("ConfigMap").Json["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.ToString());
}
