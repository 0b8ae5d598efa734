using System.Text.Json;
using System.Text.RegularExpressions;
using Sre.Host.Tests.Support;
using YamlDotNet.Serialization;

namespace Sre.Host.Tests.Deploy;

/// <summary>The Grafana dashboard's queries are valid PromQL and ask only for metrics the service exports.</summary>
public class DashboardTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static IReadOnlyList<string> Expressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("deploy/grafana/dashboards/sre.json")));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
    }

    [Fact]
    public async Task every_dashboard_query_is_valid_promql()
    {
        // Grafana's variables become what Grafana would put there; each query becomes a recording rule promtool checks.
        var rules = Expressions().Select((e, i) => new Dictionary<string, string>
        {
            ["record"] = $"dashboard:query{i}",
            ["expr"] = e.Replace("$__rate_interval", "5m").Replace("$service", ".*"),
        }).ToList();
        var file = Path.Combine(Path.GetTempPath(), $"dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, new SerializerBuilder().Build().Serialize(
            new Dictionary<string, object> { ["groups"] = new[] { new Dictionary<string, object> { ["name"] = "dashboard", ["rules"] = rules } } }));
        var (code, output) = await Repository.Run(Environment.GetEnvironmentVariable("SRE_TEST_PROMTOOL") ?? "promtool", "check", "rules", file);
        File.Delete(file);
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task the_dashboard_asks_only_for_metrics_the_service_exports()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Client().Observe("checkout-availability", AppFixture.Epoch, 5, 100, 1);
        await FiringAlert("fp-dashboard");
        await Client().Send(HttpMethod.Put, "/api/v1/teams/payments", new { engineers = 2, hoursPerWeek = 40, effectiveFrom = AppFixture.Epoch.AddDays(-7) });
        await Client().Send(HttpMethod.Post, "/api/v1/toil", new { team = "payments", category = "migrations", taskKey = "k", minutes = 30 });
        await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/etcd-prod", new { kind = "etcd", schedule = "0 * * * *", rpo = "2h" });
        await Client().Send(HttpMethod.Post, "/api/v1/backups/reports", new
        {
            target = "etcd-prod", backupName = "s1", phase = "Completed", startedAt = Clock.GetUtcNow().AddMinutes(-3), completedAt = Clock.GetUtcNow().AddMinutes(-2),
        });

        var scrape = Client();
        scrape.DefaultRequestHeaders.Authorization = null;
        var exported = Regex.Matches(await scrape.GetStringAsync("/metrics"), @"^# TYPE (\w+)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet();
        var asked = Expressions().SelectMany(e => Regex.Matches(e, @"\b(sre_\w+|http_server_request_duration_seconds_\w+)").Select(m => m.Groups[1].Value))
            .Select(n => Regex.Replace(n, "_(bucket|count|sum)$", ""))
            .Distinct();
        Assert.All(asked, name => Assert.Contains(name, exported));
    }
}
