using System.Net;
using System.Text;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos.OpenSlo;

/// <summary>
/// What imported OpenSLO SLOs mean, against hand computations: two objectives on one SLI, a threshold SLI, a raw ratio,
/// and a composite SLO, each fed pushed slices (their metric sources are not Prometheus) and read through the API.
/// </summary>
public class OpenSloNumbersTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;
    private static readonly string Corpus = Repository.PathOf("tests/Host.Tests/Slos/OpenSlo/corpus/valid");

    private async Task Import(string text)
    {
        var response = await Client().PostAsync("/api/v1/slos/openslo?by=gitops", new StringContent(text, Encoding.UTF8, "application/yaml"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task Push(string slo, params object[] slices)
    {
        var response = await Client().Send(HttpMethod.Post, $"/api/v1/slos/{slo}/observations", new { slices });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> Status(string slo) => await Get<JsonElement>($"/api/v1/slos/{slo}/status");

    private static double Remaining(JsonElement status) => status.GetProperty("budget").GetProperty("remaining").GetDouble();

    private static double? Burn1h(JsonElement status) =>
        status.GetProperty("burnRates").EnumerateArray().Single(b => b.GetProperty("window").GetString() == "1h").GetProperty("burnRate").GetDouble();

    [Fact]
    public async Task each_of_two_objectives_has_its_own_budget_burn_rate_row_gauge_and_gate()
    {
        await Import(await File.ReadAllTextAsync(Path.Combine(Corpus, "05-two-objectives.yaml")));
        Clock.Advance(TimeSpan.FromMinutes(10));

        // Pushed once to the SLO, the slices go to both objectives: 10 minutes of 1,000 requests, 3 failed each.
        await Client().Observe("orders-availability", T, 10, 1000, 3);

        // 30 bad of 10,000. Internal, 99.9%: 10 allowed, remaining 1 − 30/10 = −2, burn rate 0.003/0.001 = 3.
        // SLA, 99.5%: 50 allowed, remaining 1 − 30/50 = 0.4, burn rate 0.003/0.005 = 0.6.
        var (internalObjective, sla) = (await Status("orders-availability.internal"), await Status("orders-availability.sla"));
        Assert.Equal((-2.0, 3.0), (Remaining(internalObjective), Burn1h(internalObjective)!.Value));
        Assert.Equal(0.4, Remaining(sla), 12);
        Assert.Equal(0.6, Burn1h(sla)!.Value, 12);
        Assert.Equal("sla", sla.GetProperty("objective").GetProperty("name").GetString());

        var list = await Get<JsonElement>("/api/v1/slos?service=orders");
        Assert.Equal([("orders-availability.internal", "Internal"), ("orders-availability.sla", "SLA")],
            list.EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("objective").GetProperty("displayName").GetString())));

        var gate = await Get<JsonElement>("/api/v1/services/orders/release-gate");
        Assert.False(gate.GetProperty("allowed").GetBoolean());
        Assert.Equal(["orders-availability.internal"], gate.GetProperty("exhaustedSlos").EnumerateArray().Select(s => s.GetProperty("slo").GetString()));

        var objectives = await Get<JsonElement>("/api/v1/slos/orders-availability/objectives");
        Assert.False(objectives.GetProperty("composite").GetBoolean());
        Assert.Equal([-2.0, 0.4], objectives.GetProperty("objectives").EnumerateArray().Select(o => Math.Round(o.GetProperty("remainingBudget").GetDouble(), 12)));

        var scrape = Client();
        scrape.DefaultRequestHeaders.Authorization = null;
        var metrics = await scrape.GetStringAsync("/metrics");
        Assert.Matches("sre_slo_budget_remaining\\{[^}]*objective=\"sla\"[^}]*slo=\"orders-availability.sla\"[^}]*\\} 0.4\\b", metrics);
    }

    [Fact]
    public async Task a_threshold_slo_judges_each_pushed_value_by_the_objective()
    {
        await Import("""
            apiVersion: openslo/v1
            kind: SLO
            metadata:
              name: queue-age
            spec:
              service: billing
              indicator:
                metadata:
                  name: queue-age-seconds
                spec:
                  thresholdMetric:
                    metricSource:
                      type: Custom
                      spec:
                        gauge: billing_queue_oldest_seconds
              timeWindow:
                - duration: 1d
                  isRolling: true
              budgetingMethod: Timeslices
              objectives:
                - op: lte
                  value: 0.3
                  target: 0.9
                  timeSliceTarget: 1
                  timeSliceWindow: 1m
            """);
        Clock.Advance(TimeSpan.FromMinutes(10));
        double[] values = [0.1, 0.2, 0.5, 0.25, 0.9, 0.1, 0.1, 0.2, 0.3, 0.31];

        // Half through the SLO's own door, half through the collectors' batch.
        await Push("queue-age", [.. values[..5].Select((v, i) => new { start = T.AddMinutes(i), end = T.AddMinutes(i + 1), value = v })]);
        var batch = await Client().Send(HttpMethod.Post, "/api/v1/observations",
            new { observations = values[5..].Select((v, i) => new { slo = "queue-age", start = T.AddMinutes(5 + i), end = T.AddMinutes(6 + i), value = v }) });
        Assert.True(batch.IsSuccessStatusCode, await batch.Content.ReadAsStringAsync());

        // 0.5, 0.9 and 0.31 are above 0.3: 3 bad minutes of 10 (0.3 itself meets lte). The budget is 10% of the day's
        // 1,440 minutes, 144: remaining 1 − 3/144.
        var status = await Status("queue-age");
        Assert.Equal((7m, 10m), (status.GetProperty("sli").GetProperty("good").GetDecimal(), status.GetProperty("sli").GetProperty("total").GetDecimal()));
        Assert.Equal(1 - 3.0 / 144, Remaining(status), 12);
    }

    [Fact]
    public async Task a_raw_ratio_counts_each_slice_by_its_ratio()
    {
        await Import(await File.ReadAllTextAsync(Path.Combine(Corpus, "03-raw-ratio.yaml")));
        Clock.Advance(TimeSpan.FromMinutes(15));

        // rawType failure: the ratios pushed are the failed share of each five-minute slice.
        await Push("batch-success", [.. new[] { 0.01, 0.05, 0.0 }.Select((v, i) => new { start = T.AddMinutes(5 * i), end = T.AddMinutes(5 * (i + 1)), value = v })]);

        // RatioTimeslices: the SLI is the mean of the slices' success ratios (0.99 + 0.95 + 1) / 3 = 0.98; each slice spends its
        // error ratio, 0.06 in all, of a budget of 2% of the quarter's (90 days) 25,920 slices, 518.4: remaining 1 − 0.06/518.4.
        var status = await Status("batch-success");
        Assert.Equal(0.98, status.GetProperty("sli").GetProperty("ratio").GetDouble(), 12);
        Assert.Equal(1 - 0.06 / 518.4, Remaining(status), 12);
    }

    [Fact]
    public async Task a_composite_slo_weighs_its_objectives_and_freezes_the_gate_when_its_budget_is_spent()
    {
        await Import(await File.ReadAllTextAsync(Path.Combine(Corpus, "06-composite.yaml")));
        Clock.Advance(TimeSpan.FromMinutes(10));

        // Each objective has its own indicator: slices go to each, and one sent to the composite is refused.
        var refused = await Client().Send(HttpMethod.Post, "/api/v1/slos/storefront/observations",
            new { slices = new[] { new { start = T, end = T.AddMinutes(1), good = 1, total = 1 } } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("storefront.pages", await refused.Content.ReadAsStringAsync());
        // Pages (99%, weight 2): 50 bad of 10,000, half its budget left. Search (95%, weight 0.5): 250 bad of 10,000, half left.
        await Client().Observe("storefront.pages", T, 10, 1000, 5);
        await Client().Observe("storefront.search", T, 10, 1000, 25);

        // Composite: 1 − (2 × 0.5 + 0.5 × 0.5) = −0.25; 1h burn rate 2 × (0.005/0.01) + 0.5 × (0.025/0.05) = 1.25.
        var objectives = await Get<JsonElement>("/api/v1/slos/storefront/objectives");
        var composite = objectives.GetProperty("compositeBudget");
        Assert.True(objectives.GetProperty("composite").GetBoolean());
        Assert.Equal(-0.25, composite.GetProperty("remainingBudget").GetDouble(), 12);
        Assert.True(composite.GetProperty("exhausted").GetBoolean());
        Assert.Equal(1.25, composite.GetProperty("burnRates").EnumerateArray().Single(b => b.GetProperty("window").GetString() == "1h").GetProperty("burnRate").GetDouble(), 12);
        var gate = await Get<JsonElement>("/api/v1/services/storefront/release-gate");
        Assert.Equal(["storefront"], gate.GetProperty("exhaustedSlos").EnumerateArray().Select(s => s.GetProperty("slo").GetString()));
    }

    [Fact]
    public async Task the_rules_of_an_objective_are_labelled_by_it_and_alert_when_there_is_no_data()
    {
        await Import("""
            apiVersion: openslo/v1
            kind: SLO
            metadata:
              name: api-availability
            spec:
              service: api
              indicator:
                metadata:
                  name: api-requests
                spec:
                  ratioMetric:
                    counter: true
                    good:
                      metricSource:
                        type: Prometheus
                        spec:
                          query: sum(rate(api_ok_total[{{.window}}]))
                    total:
                      metricSource:
                        type: Prometheus
                        spec:
                          query: sum(rate(api_total[{{.window}}]))
              timeWindow:
                - duration: 28d
                  isRolling: true
              budgetingMethod: Occurrences
              objectives:
                - displayName: Internal
                  target: 0.999
                - displayName: SLA
                  target: 0.99
              alertPolicies:
                - kind: AlertPolicy
                  metadata:
                    name: api-fast
                  spec:
                    alertWhenNoData: true
                    conditions:
                      - kind: AlertCondition
                        metadata:
                          name: api-fast
                        spec:
                          severity: page
                          condition:
                            kind: burnrate
                            op: gt
                            threshold: 14.4
                            lookbackWindow: 1h
                            alertAfter: 5m
                    notificationTargets:
                      - kind: AlertNotificationTarget
                        metadata:
                          name: api-pager
                        spec:
                          target: pagerduty
            """);

        var rules = await (await Client().GetAsync("/api/v1/slos/api-availability.sla/prometheus-rules")).Content.ReadAsStringAsync();

        Assert.Contains("objective: sla", rules);
        Assert.Contains("alert: SloNoData", rules);
        Assert.Contains("absent(slo:sli_error:ratio_rate5m{slo=\"api-availability.sla\"})", rules);
        Assert.Contains("14.4 * 0.01", rules);
    }
}
