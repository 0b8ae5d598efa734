using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sre.Domain.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

public class OpenSloTests(AppFixture fixture) : IntegrationContext(fixture)
{
    // Shaped after the examples of the OpenSLO v1 specification: a Service, an SLI with Prometheus ratio
    // queries, an AlertCondition of kind burnrate, an AlertPolicy referring to it, and the SLO tying them together.
    private const string SpecExample = """
        apiVersion: openslo/v1
        kind: Service
        metadata:
          name: my-rest-service
          displayName: My Rest Service
        spec:
          description: A great service
        ---
        apiVersion: openslo/v1
        kind: SLI
        metadata:
          name: search-availability-sli
          displayName: Searching availability
        spec:
          ratioMetric:
            counter: true
            good:
              metricSource:
                type: Prometheus
                spec:
                  query: sum(rate(http_requests_total{service="search",code!~"5.."}[{{.window}}]))
            total:
              metricSource:
                type: Prometheus
                spec:
                  query: sum(rate(http_requests_total{service="search"}[{{.window}}]))
        ---
        apiVersion: openslo/v1
        kind: AlertCondition
        metadata:
          name: fast-burn
        spec:
          description: Two percent of the budget in an hour
          severity: page
          condition:
            kind: burnrate
            op: gte
            threshold: 13.44
            lookbackWindow: 1h
            alertAfter: 5m
        ---
        apiVersion: openslo/v1
        kind: AlertPolicy
        metadata:
          name: page-on-fast-burn
        spec:
          alertWhenBreaching: true
          conditions:
            - conditionRef: fast-burn
          notificationTargets:
            - targetRef: on-call
        ---
        apiVersion: openslo/v1
        kind: AlertNotificationTarget
        metadata:
          name: on-call
        spec:
          target: pagerduty
          description: The search team's on-call rotation
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: search-availability
          displayName: Search availability
          labels:
            team: search
        spec:
          description: 99.5% of searches succeed
          service: my-rest-service
          indicatorRef: search-availability-sli
          timeWindow:
            - duration: 28d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - displayName: Good
              target: 0.995
          alertPolicies:
            - alertPolicyRef: page-on-fast-burn
        """;

    private async Task<HttpResponseMessage> Import(string yaml) =>
        await Client().PostAsync("/api/v1/slos/openslo?by=gitops", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

    [Fact]
    public async Task imports_the_specification_example()
    {
        var response = await Import(SpecExample);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var slo = await Get<Slo>("/api/v1/slos/search-availability");
        var d = slo.Definition;
        Assert.Equal(("my-rest-service", 0.995, TimeSpan.FromDays(28)), (d.Service, d.Target, d.Window.Duration!.Value));
        Assert.StartsWith("sum(rate(http_requests_total{service=\"search\",code!~\"5..\"}", d.Sli.GoodQuery);
        Assert.Equal([new BurnCondition("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 13.44, ThresholdOp.Gte)], d.Alerting.Conditions!);
        Assert.Equal("search", d.Labels["team"]);
        Assert.Equal("test-admin:gitops", slo.Defined.By);
    }

    [Fact]
    public async Task an_export_imports_back_to_the_same_slo()
    {
        await Client().DefineSlo(new
        {
            name = "checkout-latency", service = "checkout", by = "alice", description = "Fast checkouts", targetPercent = 99.0,
            sli = new { kind = "latency", threshold = "100ms", goodQuery = "sum(rate(le_100ms[5m]))", totalQuery = "sum(rate(all[5m]))" },
            window = new { kind = "calendar", unit = "quarter", timeZone = "Europe/Berlin" },
            budgeting = new { method = "timeslices", sliceLength = "1m", sliceTarget = 0.95 },
            labels = new Dictionary<string, string> { ["team"] = "payments" },
            alerting = new
            {
                minEvents = 100,
                conditions = new[] { new { severity = "page", longWindow = "1h", shortWindow = "5m", factor = 14.4 } },
            },
        });
        var before = await Get<Slo>("/api/v1/slos/checkout-latency");
        var yaml = await (await Client().GetAsync("/api/v1/slos/checkout-latency/openslo")).Content.ReadAsStringAsync();
        var events = await StoredEvents();

        var response = await Import(yaml);

        Assert.True(HttpStatusCode.OK == response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.All((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), e => Assert.Equal(0, e.GetProperty("changes").GetInt32()));
        Assert.Equal(events, await StoredEvents());
        var after = await Get<Slo>("/api/v1/slos/checkout-latency");
        Assert.True(before.Definition.SameDetailsAs(after.Definition) && before.Definition.Target == after.Definition.Target
            && before.Definition.Window == after.Definition.Window, yaml);
    }

    [Theory]
    [InlineData("ratioMetric:\n    counter: true", "thresholdMetric:\n    metric: {}", "thresholdMetric")]
    [InlineData("kind: Service", "kind: Widget", "documents[0].kind")]
    [InlineData("target: 0.995", "targetPercent: x", "objectives[0].target")]
    [InlineData("duration: 28d\n      isRolling: true", "duration: 28x\n      isRolling: true", "timeWindow[0].duration")]
    [InlineData("duration: 28d\n      isRolling: true", "duration: 1Y\n      isRolling: false", "timeWindow[0].calendar")]
    [InlineData("conditionRef: fast-burn", "conditionRef: slow-burn", "conditions[0].conditionRef")]
    [InlineData("kind: burnrate", "kind: threshold", "condition.kind")]
    [InlineData("target: 0.995", "target: [0.995]", "objectives[0].target")]
    [InlineData("isRolling: true", "isRolling: maybe", "timeWindow[0].isRolling")]
    [InlineData("threshold: 13.44", "threshold: fast", "condition.threshold")]
    [InlineData("objectives:", "objectives: none\n  other:", "spec.objectives")]
    public async Task unsupported_parts_are_400_naming_the_field_and_nothing_is_stored(string from, string to, string field)
    {
        var yaml = SpecExample.Replace(from, to);
        Assert.NotEqual(SpecExample, yaml);

        var response = await Import(yaml);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Problem(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(errors, e => e.Contains(field));
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task the_readme_example_imports()
    {
        var response = await Import(await File.ReadAllTextAsync(Repository.PathOf("docs/examples/openslo.yaml")));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("search-availability", (await Get<Slo>("/api/v1/slos/search-availability")).Definition.Name);
    }

    [Fact]
    public async Task a_json_document_imports_as_its_yaml_does()
    {
        var response = await Import("""
            {"apiVersion": "openslo/v1", "kind": "SLO", "metadata": {"name": "search-availability", "labels": {"team": "search"}},
             "spec": {"service": "search", "budgetingMethod": "Occurrences",
               "indicator": {"metadata": {"name": "search-sli"}, "spec": {"ratioMetric": {"counter": true,
                 "good": {"metricSource": {"type": "Prometheus", "spec": {"query": "sum(rate(ok[5m]))"}}},
                 "total": {"metricSource": {"type": "Prometheus", "spec": {"query": "sum(rate(all[5m]))"}}}}}},
               "timeWindow": [{"duration": "28d", "isRolling": true}],
               "objectives": [{"displayName": "Good", "target": 0.995}]}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var d = (await Get<Slo>("/api/v1/slos/search-availability")).Definition;
        Assert.Equal(("search", 0.995, TimeSpan.FromDays(28)), (d.Service, d.Target, d.Window.Duration!.Value));
        Assert.Equal(("sum(rate(ok[5m]))", "sum(rate(all[5m]))"), (d.Sli.GoodQuery, d.Sli.TotalQuery));
        Assert.Equal("search", d.Labels["team"]);
    }

    [Fact]
    public async Task bad_over_total_and_the_data_source_import_and_export_as_given()
    {
        var response = await Import("""
            [{"apiVersion": "openslo/v1", "kind": "DataSource", "metadata": {"name": "thanos"},
              "spec": {"type": "Prometheus", "connectionDetails": {"url": "http://thanos-query:9090"}}},
             {"apiVersion": "openslo/v1", "kind": "SLO", "metadata": {"name": "search-errors"},
             "spec": {"service": "search", "budgetingMethod": "Occurrences",
               "indicator": {"metadata": {"name": "search-errors-sli"}, "spec": {"ratioMetric": {"counter": true,
                 "bad": {"metricSource": {"metricSourceRef": "thanos", "type": "Prometheus", "spec": {"query": "sum(rate(failed[{{.window}}]))"}}},
                 "total": {"metricSource": {"metricSourceRef": "thanos", "type": "Prometheus", "spec": {"query": "sum(rate(all[{{.window}}]))"}}}}}},
               "timeWindow": [{"duration": "28d", "isRolling": true}],
               "objectives": [{"displayName": "Good", "target": 0.995}]}}]
            """);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var imported = (await Get<Slo>("/api/v1/slos/search-errors")).Definition.Sli;
        Assert.Equal(("sum(rate(failed[{{.window}}]))", "sum(rate(all[{{.window}}]))", null, "thanos"),
            (imported.BadQuery, imported.TotalQuery, imported.GoodQuery, imported.DataSource));

        // The export gives them back: imported again, nothing changes.
        var exported = await (await Client().GetAsync("/api/v1/slos/search-errors/openslo")).Content.ReadAsStringAsync();
        Assert.Contains("metricSourceRef: thanos", exported);
        var again = await (await Import(exported)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(again.EnumerateArray(), e => Assert.Equal(0, e.GetProperty("changes").GetInt32()));
    }

    [Fact]
    public async Task a_percent_target_is_the_same_ratio_through_openslo_and_the_json_api()
    {
        var response = await Import(SpecExample.Replace("target: 0.995", "targetPercent: 99.9"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Client().DefineSlo(new
        {
            name = "checkout-availability", service = "checkout", by = "alice", targetPercent = 99.9,
            sli = new { kind = "availability" }, window = new { kind = "rolling", duration = "28d" },
        });

        var fromOpenSlo = (await Get<Slo>("/api/v1/slos/search-availability")).Definition.Target;
        var fromJson = (await Get<Slo>("/api/v1/slos/checkout-availability")).Definition.Target;

        Assert.Equal(0.999, fromOpenSlo);
        Assert.Equal(0.999, fromJson);
    }
}
