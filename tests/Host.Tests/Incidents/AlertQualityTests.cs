using System.Net;
using System.Text.Json;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Tests.Support;
using static Sre.Host.Tests.Support.Payloads;

namespace Sre.Host.Tests.Incidents;

/// <summary>
/// <c>GET /api/v1/alert-quality</c>: Alertmanager's alerts against the budget events the evaluator recorded. The SLO
/// (checkout-availability, 99.9%) spends 2.3% of its budget in ten bad minutes, [T+60m, T+70m): one budget event.
/// </summary>
public class AlertQualityTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    /// <summary>
    /// HighErrorRate (checkout) notified at T+30m (before the event: not significant) and T+63m (detects it in 3 minutes,
    /// resolved at T+85m: 15 minutes after its end); SearchLatency (search, whose SLO has no event) at T+65m.
    /// </summary>
    private async Task AnOutageAndItsAlerts()
    {
        await Client().DefineSlo(SloSteps.Availability());
        await Client().DefineSlo(SloSteps.Availability("search-availability", service: "search"));
        Clock.Advance(TimeSpan.FromMinutes(30));
        await Notify(new AlertSpec("early", StartsAt: T.AddMinutes(29)));
        Clock.Advance(TimeSpan.FromMinutes(33));
        await Notify(new AlertSpec("outage", StartsAt: T.AddMinutes(62)));
        Clock.Advance(TimeSpan.FromMinutes(2));
        await Notify(new AlertSpec("search", StartsAt: T.AddMinutes(64), AlertName: "SearchLatency", Service: "search"));
        Clock.Advance(TimeSpan.FromMinutes(55));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        await Client().Observe("checkout-availability", T.AddMinutes(60), 10, 1000, 100);
        await Client().Observe("checkout-availability", T.AddMinutes(70), 50, 1000, 0);
        await Client().Observe("search-availability", T, 120, 1000, 0);
        await Notify(new AlertSpec("outage", "resolved", StartsAt: T.AddMinutes(62), EndsAt: T.AddMinutes(85)));
    }

    private async Task Notify(AlertSpec alert) =>
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Notification([alert]))).StatusCode);

    private static JsonElement Row(JsonElement report, string list, string key) =>
        report.GetProperty(list).EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);

    [Fact]
    public async Task precision_and_recall_over_http_equal_the_domain_computation_on_the_same_data()
    {
        await AnOutageAndItsAlerts();

        var report = await Get<JsonElement>("/api/v1/alert-quality?window=30d");

        // The domain's computation on what is stored: the rule's alerts at their first notification, the recorded events.
        var incident = (await Incidents()).Single(i => i.Service == "checkout");
        var alerts = (await AlertsOf(incident.Id))
            .Select(a => new BacktestAlert("", a.Id, a.FirstNotifiedAt!.Value, a.Status == Domain.Incidents.AlertStatus.Resolved ? a.EndsAt : null))
            .ToList();
        await using var session = Store.QuerySession();
        var events = (await session.LoadAsync<Slo>(SloIds.For("checkout-availability")))!.BudgetEvents;
        var expected = AlertMeasures.Of(alerts, events, AlertMeasures.DefaultGrace);

        var rule = Row(report, "rules", "HighErrorRate");
        Assert.Equal(expected.Precision, rule.GetProperty("precision").GetProperty("value").GetDouble());
        Assert.Equal(expected.Recall, rule.GetProperty("recall").GetProperty("value").GetDouble());
        Assert.Equal(expected.Detection.Mean!.Value.TotalSeconds, rule.GetProperty("detectionSeconds").GetProperty("mean").GetDouble());
        Assert.Equal(expected.Reset.P90!.Value.TotalSeconds, rule.GetProperty("resetSeconds").GetProperty("p90").GetDouble());
        // And by hand: 1 of 2 alerts significant, the one event detected 3 minutes in, reset 15 minutes after its end.
        Assert.Equal((0.5, 1.0, 180.0, 900.0), (expected.Precision, expected.Recall, expected.Detection.Mean.Value.TotalSeconds,
            expected.Reset.Mean!.Value.TotalSeconds));
        Assert.Equal(1, rule.GetProperty("precision").GetProperty("evidence").GetProperty("budgetEvent").GetInt32());
        Assert.Equal(1, rule.GetProperty("precision").GetProperty("unmatched").GetInt32());

        // SearchLatency fired during the outage, but for another service and SLO: it matches nothing.
        var search = Row(report, "rules", "SearchLatency");
        Assert.Equal(0.0, search.GetProperty("precision").GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.Null, search.GetProperty("recall").GetProperty("value").ValueKind);
        Assert.Equal(0, search.GetProperty("recall").GetProperty("events").GetInt32());
        Assert.Equal(JsonValueKind.Null, search.GetProperty("detectionSeconds").GetProperty("mean").ValueKind);

        // The alert rules' report gives each rule the same four measures.
        var rules = await Get<JsonElement>("/api/v1/alert-rules/quality?window=30d");
        var measures = rules.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("alertName").GetString() == "HighErrorRate").GetProperty("measures");
        Assert.Equal(rule.ToString(), measures.ToString());

        var overall = report.GetProperty("overall");
        Assert.Equal((3, 1), (overall.GetProperty("precision").GetProperty("alerts").GetInt32(), overall.GetProperty("precision").GetProperty("significant").GetInt32()));
        Assert.Equal((1, 1), (overall.GetProperty("recall").GetProperty("events").GetInt32(), overall.GetProperty("recall").GetProperty("detected").GetInt32()));
    }

    [Fact]
    public async Task a_triage_verdict_decides_precision_and_the_answer_names_the_evidence()
    {
        await AnOutageAndItsAlerts();
        var id = (await Incidents()).Single(i => i.Service == "checkout").Id;
        await Command(id, "triage", new { by = "alice", verdict = "actionable", fingerprint = "early" });
        await Command(id, "triage", new { by = "alice", verdict = "noise", fingerprint = "outage" });

        var report = await Get<JsonElement>("/api/v1/alert-quality?window=30d&service=checkout");

        var precision = Row(report, "rules", "HighErrorRate").GetProperty("precision");
        Assert.Equal(0.5, precision.GetProperty("value").GetDouble());
        Assert.Equal((1, 0, 1, 0), (precision.GetProperty("evidence").GetProperty("triaged").GetInt32(),
            precision.GetProperty("evidence").GetProperty("budgetEvent").GetInt32(), precision.GetProperty("noise").GetInt32(),
            precision.GetProperty("unmatched").GetInt32()));
        // Triaged noise or not, the alert was there when the budget burned: the event counts as detected.
        Assert.Equal(1.0, Row(report, "slos", "checkout-availability").GetProperty("recall").GetProperty("value").GetDouble());
        Assert.DoesNotContain(report.GetProperty("rules").EnumerateArray(), r => r.GetProperty("key").GetString() == "SearchLatency");
        Assert.Equal("checkout", Assert.Single(report.GetProperty("services").EnumerateArray()).GetProperty("key").GetString());
    }

    [Fact]
    public async Task a_window_out_of_range_is_400_and_an_unknown_slo_404()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Client().GetAsync("/api/v1/alert-quality?window=91d")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client().GetAsync("/api/v1/alert-quality?window=often")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync("/api/v1/alert-quality?slo=nope")).StatusCode);
        var empty = await Get<JsonElement>("/api/v1/alert-quality");
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("overall").GetProperty("precision").GetProperty("value").ValueKind);
    }
}
