using System.Net;
using System.Text.Json.Nodes;
using Sre.Host.Tests.Deploy;
using Sre.Host.Tests.Support;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Sre.Host.Tests.Slos;

/// <summary>The generated rules pass promtool's check, and promtool's unit tests show when the page alert fires.</summary>
public class PrometheusRulesTests(AppFixture fixture) : IntegrationContext(fixture), IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("sre-rules-").FullName;
    private static string Promtool => Environment.GetEnvironmentVariable("SRE_TEST_PROMTOOL") ?? "promtool";

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static object PromQlSlo(string name = "checkout-requests", object? budgeting = null) => new
    {
        name, service = "checkout", target = 0.999, budgeting,
        sli = new
        {
            kind = "availability",
            goodQuery = "sum(rate(http_requests_total{service=\"checkout\",code!~\"5..\"}[{{.window}}]))",
            totalQuery = "sum(rate(http_requests_total{service=\"checkout\"}[{{.window}}]))",
        },
        window = new { kind = "rolling", duration = "30d" },
    };

    /// <summary>The same SLI written as bad ÷ total (OpenSLO ratioMetric.bad).</summary>
    private static object BadOverTotalSlo() => new
    {
        name = "checkout-requests", service = "checkout", target = 0.999,
        sli = new
        {
            kind = "availability",
            badQuery = "sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}[{{.window}}]))",
            totalQuery = "sum(rate(http_requests_total{service=\"checkout\"}[{{.window}}]))",
        },
        window = new { kind = "rolling", duration = "30d" },
    };

    private async Task<string> Rules(string name = "checkout-requests")
    {
        var response = await Client().GetAsync($"/api/v1/slos/{name}/prometheus-rules");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(_work, "rules.yml");
        await File.WriteAllTextAsync(path, await response.Content.ReadAsStringAsync());
        return path;
    }

    /// <summary>The annotations the rule file gives the alert of a severity: promtool compares them too.</summary>
    private static Dictionary<string, string> Annotations(string rules, string severity)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(rules)));
        var alert = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"]).Children.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>())
            .Single(r => r.Children.ContainsKey("alert") && ((YamlMappingNode)r["labels"])["severity"].ToString() == severity);
        return ((YamlMappingNode)alert["annotations"]).Children.ToDictionary(k => k.Key.ToString(), v => v.Value.ToString());
    }

    private async Task<(int Code, string Output)> PromtoolTest(string rules, int errorsPerMinute, params string[] firing)
    {
        var test = new Dictionary<string, object>
        {
            ["rule_files"] = new[] { rules },
            ["evaluation_interval"] = "1m",
            ["tests"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["interval"] = "1m",
                    ["input_series"] = new[]
                    {
                        new Dictionary<string, string> { ["series"] = "http_requests_total{service=\"checkout\",code=\"200\"}", ["values"] = $"0+{1000 - errorsPerMinute}x120" },
                        new Dictionary<string, string> { ["series"] = "http_requests_total{service=\"checkout\",code=\"500\"}", ["values"] = $"0+{errorsPerMinute}x120" },
                    },
                    ["alert_rule_test"] = new[]
                    {
                        new Dictionary<string, object>
                        {
                            ["eval_time"] = "70m",
                            ["alertname"] = "SloErrorBudgetBurn",
                            ["exp_alerts"] = firing.Select(severity => new Dictionary<string, object>
                            {
                                ["exp_labels"] = new Dictionary<string, string> { ["slo"] = "checkout-requests", ["service"] = "checkout", ["severity"] = severity },
                                ["exp_annotations"] = Annotations(rules, severity),
                            }).ToArray(),
                        },
                    },
                },
            },
        };
        var path = Path.Combine(_work, $"test-{errorsPerMinute}.yml");
        await File.WriteAllTextAsync(path, new SerializerBuilder().Build().Serialize(test));
        return await Repository.Run(Promtool, "test", "rules", path);
    }

    [Fact]
    public async Task the_rules_of_a_promql_slo_pass_promtool_check()
    {
        await Client().DefineSlo(PromQlSlo());
        var (code, output) = await Repository.Run(Promtool, "check", "rules", await Rules());
        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 9 rules found", output);
    }

    [Fact]
    public async Task five_percent_errors_page_and_half_a_percent_only_opens_a_ticket()
    {
        await Client().DefineSlo(PromQlSlo());
        var rules = await Rules();

        var burning = await PromtoolTest(rules, errorsPerMinute: 50, "page", "ticket");
        var slow = await PromtoolTest(rules, errorsPerMinute: 5, "ticket");
        var wrong = await PromtoolTest(rules, errorsPerMinute: 5, "page", "ticket");

        Assert.True(burning.Code == 0, burning.Output);
        Assert.True(slow.Code == 0, slow.Output);
        Assert.True(wrong.Code != 0, "promtool must fail when the page alert is expected but does not fire");
    }

    [Fact]
    public async Task the_rules_of_a_bad_over_total_sli_alert_as_those_of_good_over_total()
    {
        await Client().DefineSlo(BadOverTotalSlo());
        var rules = await Rules();
        Assert.Contains("(sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\"}[5m]))) / (sum(", await File.ReadAllTextAsync(rules));

        var burning = await PromtoolTest(rules, errorsPerMinute: 50, "page", "ticket");
        var slow = await PromtoolTest(rules, errorsPerMinute: 5, "ticket");
        Assert.True(burning.Code == 0, burning.Output);
        Assert.True(slow.Code == 0, slow.Output);
    }

    [Fact]
    public async Task timeslice_rules_count_bad_slices_over_every_slice_of_the_window()
    {
        // A slice is good at up to 5% errors: 3% errors a minute spend no budget (an Occurrences SLO would page on
        // them, as the test above shows for 5%); 6% errors make every slice bad, which burns at 1000x and pages.
        await Client().DefineSlo(PromQlSlo(budgeting: new { method = "timeslices", sliceLength = "1m", sliceTarget = 0.95 }));
        var rules = await Rules();
        var (code, output) = await Repository.Run(Promtool, "check", "rules", rules);
        Assert.True(code == 0, output);

        var good = await PromtoolTest(rules, errorsPerMinute: 30);
        var bad = await PromtoolTest(rules, errorsPerMinute: 60, "page", "ticket");

        Assert.True(good.Code == 0, good.Output);
        Assert.True(bad.Code == 0, bad.Output);
    }

    [Fact]
    public async Task an_slo_without_promql_has_no_rules_and_the_command_writes_every_promql_slo()
    {
        await Client().DefineSlo(SloSteps.Availability());
        await Client().DefineSlo(PromQlSlo());
        Assert.Equal(HttpStatusCode.Conflict, (await Client().GetAsync("/api/v1/slos/checkout-availability/prometheus-rules")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync("/api/v1/slos/nothing/prometheus-rules")).StatusCode);

        var file = Path.Combine(_work, "all.yml");
        var (code, output) = await Repository.Run("dotnet", Path.Combine(AppContext.BaseDirectory, "Sre.Host.dll"), "prometheus-rules", "--out", file);
        Assert.True(code == 0, output);
        var written = await File.ReadAllTextAsync(file);
        Assert.Contains("slo: checkout-requests", written);
        Assert.DoesNotContain("checkout-availability", written);
        var (check, checkOutput) = await Repository.Run(Promtool, "check", "rules", file);
        Assert.True(check == 0, checkOutput);
    }

    [Fact]
    public async Task the_command_writes_the_rules_as_a_prometheus_rule_resource_for_kubernetes()
    {
        await Client().DefineSlo(PromQlSlo());

        var file = Path.Combine(_work, "prometheusrule.yaml");
        var (code, output) = await Repository.Run("dotnet", Path.Combine(AppContext.BaseDirectory, "Sre.Host.dll"),
            "prometheus-rules", "--out", file, "--prometheus-rule", "sre-slo-rules");
        Assert.True(code == 0, output);
        var rule = Manifests.Load(file).Single();
        Assert.Equal(("PrometheusRule", "sre-slo-rules"), (rule.Kind, rule.Name));
        Assert.Empty(Manifests.Problems(rule));
        Assert.Contains("slo: checkout-requests", rule.Yaml);
        Assert.DoesNotContain("*o0", rule.Yaml);

        // Its groups are the rule file's, which promtool checks.
        var groups = Path.Combine(_work, "groups.yml");
        await File.WriteAllTextAsync(groups, new JsonObject { ["groups"] = rule.Spec["groups"]!.DeepClone() }.ToJsonString());
        var (check, checkOutput) = await Repository.Run(Promtool, "check", "rules", groups);
        Assert.True(check == 0, checkOutput);
    }
}
