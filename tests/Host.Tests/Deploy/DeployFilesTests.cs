using Sre.Host.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Sre.Host.Tests.Deploy;

/// <summary>docker-compose.yml cannot run here; these keep it and the files it mounts valid.</summary>
public class DeployFilesTests
{
    private static YamlMappingNode Compose()
    {
        var yaml = new YamlStream();
        using var reader = File.OpenText(Repository.PathOf("docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) =>
        (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    [Fact]
    public void compose_has_the_service_its_database_broker_prometheus_and_alertmanager()
    {
        var services = ((YamlMappingNode)Compose()["services"]).Children.Keys.Select(k => k.ToString()).ToHashSet();
        Assert.Superset(new HashSet<string> { "postgres", "rabbitmq", "sre", "prometheus", "alertmanager" }, services);
    }

    [Fact]
    public void every_file_compose_mounts_or_builds_from_exists()
    {
        var build = (YamlMappingNode)Service("sre")["build"];
        Assert.True(File.Exists(Repository.PathOf(build["dockerfile"].ToString())));
        var sources = ((YamlMappingNode)Compose()["services"]).Children.Values.OfType<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("volumes"))
            .SelectMany(s => ((YamlSequenceNode)s["volumes"]).Children.Select(v => v.ToString().Split(':')[0]))
            .Where(source => source.StartsWith("./"))
            .ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.True(Path.Exists(Repository.PathOf(source[2..])), source));
    }

    [Fact]
    public void compose_mounts_the_alertmanager_config_the_end_to_end_test_uses()
    {
        var volumes = ((YamlSequenceNode)Service("alertmanager")["volumes"]).Children.Select(v => v.ToString());
        Assert.Contains(volumes, v => v.StartsWith("./" + LiveStack.AlertmanagerConfig + ":"));
    }

    [Fact]
    public async Task alertmanager_config_passes_amtool()
    {
        var (code, output) = await Repository.Run("amtool", "check-config", Repository.PathOf(LiveStack.AlertmanagerConfig));
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task prometheus_config_and_rules_pass_promtool()
    {
        var (code, output) = await Repository.Run("promtool", "check", "config", Repository.PathOf("deploy/prometheus/prometheus.yml"));
        Assert.True(code == 0, output);
    }
}
