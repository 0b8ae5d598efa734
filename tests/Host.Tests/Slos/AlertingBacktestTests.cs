using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using Sre.Host.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

public class AlertingBacktestTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;
    private const string Url = "/api/v1/slos/checkout-availability/alerting-backtest";

    private static string Instant(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ");

    /// <summary>An alert as "severity rule start→end", the end empty while it still fires.</summary>
    private static string Alert(string severity, string rule, DateTimeOffset start, DateTimeOffset? end) =>
        $"{severity} {rule} {Instant(start)}→{(end is { } e ? Instant(e) : "")}";

    /// <summary>The alerts the evaluator recorded on the SLO's stream: each raise paired with the clear of its condition that follows it.</summary>
    private async Task<List<string>> RecordedAlerts()
    {
        await using var session = Store.QuerySession();
        var open = new Dictionary<string, (string Severity, DateTimeOffset Start)>();
        var alerts = new List<(DateTimeOffset Start, string Rule, string Text)>();
        foreach (var e in await session.Events.FetchStreamAsync(SloIds.For("checkout-availability")))
        {
            if (e.Data is BurnRateAlertRaised r) open[Key(r.Severity, r.LongWindow, r.ShortWindow)] = (r.Severity, r.At);
            if (e.Data is BurnRateAlertCleared c && open.Remove(Key(c.Severity, c.LongWindow, c.ShortWindow), out var raised))
                alerts.Add((raised.Start, Key(c.Severity, c.LongWindow, c.ShortWindow), Alert(raised.Severity, Key(c.Severity, c.LongWindow, c.ShortWindow), raised.Start, c.At)));
        }
        alerts.AddRange(open.Select(o => (o.Value.Start, o.Key, Alert(o.Value.Severity, o.Key, o.Value.Start, null))));
        return alerts.OrderBy(a => a.Start).ThenBy(a => a.Rule, StringComparer.Ordinal).Select(a => a.Text).ToList();

        static string Key(string severity, TimeSpan longWindow, TimeSpan shortWindow) =>
            $"{severity}:{PromDuration.Format(longWindow)}/{PromDuration.Format(shortWindow)}";
    }

    private async Task<JsonElement> Backtest(object body)
    {
        var response = await Client().Send(HttpMethod.Post, Url, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task the_backtest_of_the_slos_own_conditions_gives_exactly_the_transitions_the_evaluator_recorded()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(1));
        await Client().Observe("checkout-availability", T, 60, total: 1000, bad: 0);
        var from = Clock.GetUtcNow();
        // Minute by minute, as the evaluator lives it: 20 minutes at 10% errors, then 30 clean ones; each slice pushed
        // when it ends, and the sweep's evaluation at that instant too.
        var sweep = Host.Services.GetRequiredService<SloSweep>();
        for (var minute = 0; minute < 50; minute++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            await Client().Observe("checkout-availability", Clock.GetUtcNow().AddMinutes(-1), 1, total: 1000, bad: minute < 20 ? 100 : 0);
            await Host.Settled(() => sweep.SweepAll(CancellationToken.None));
        }
        var to = Clock.GetUtcNow();
        var recorded = await RecordedAlerts();

        var answer = await Backtest(new { from = Instant(from), to = Instant(to), strategies = new[] { new { kind = "multiWindowMultiBurnRate" } } });

        var strategy = answer.GetProperty("strategies").EnumerateArray().Single();
        Assert.Equal("multiWindowMultiBurnRate", strategy.GetProperty("kind").GetString());
        var alerts = strategy.GetProperty("alerts").EnumerateArray().Select(a => Alert(
            a.GetProperty("severity").GetString()!, a.GetProperty("rule").GetString()!, a.GetProperty("start").GetDateTimeOffset(),
            a.GetProperty("end").ValueKind == JsonValueKind.Null ? null : a.GetProperty("end").GetDateTimeOffset())).ToList();
        // The outage fired every condition of the workbook's table; both pages cleared within the range, the tickets did not.
        Assert.Equal(4, recorded.Count);
        Assert.Equal(2, recorded.Count(a => a.EndsWith('→')));
        Assert.Equal(recorded, alerts);
        Assert.Equal(2, strategy.GetProperty("pages").GetInt32());
        Assert.Equal(2, strategy.GetProperty("tickets").GetInt32());
        // One budget event: the 20 bad minutes, 2,000 bad requests.
        var budgetEvent = answer.GetProperty("budgetEvents").EnumerateArray().Single();
        Assert.Equal(from, budgetEvent.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(from.AddMinutes(20), budgetEvent.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(2000m, budgetEvent.GetProperty("bad").GetDecimal());
        Assert.Equal(1.0, strategy.GetProperty("recall").GetDouble());
        Assert.Equal(1, strategy.GetProperty("detection").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task without_strategies_the_backtest_runs_the_workbooks_six_and_stores_nothing()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 120, total: 1000, bad: 1);
        var events = await StoredEvents();

        var answer = await Backtest(new { from = Instant(T), to = Instant(T.AddHours(2)), step = "5m" });

        Assert.Equal(["shortWindow", "longWindow", "alertDuration", "burnRate", "multipleBurnRates", "multiWindowMultiBurnRate"],
            answer.GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal(events, await StoredEvents());
    }

    [Theory]
    [InlineData("{\"to\":\"2026-11-20T09:00:00Z\"}", "from")]
    [InlineData("{\"from\":\"2026-11-20T09:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\"}", "from")]
    [InlineData("{\"from\":\"2026-11-20T07:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\"}", "from")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T11:00:00Z\"}", "to")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\",\"step\":\"30s\"}", "step")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\",\"strategies\":[{\"kind\":\"gutFeeling\"}]}", "strategies[0].kind")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\",\"strategies\":[{\"kind\":\"shortWindow\",\"for\":\"1h\"}]}", "strategies[0].for")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\",\"strategies\":[{\"kind\":\"burnRate\",\"factor\":0}]}", "strategies[0].factor")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\",\"strategies\":[{\"kind\":\"multiWindowMultiBurnRate\",\"conditions\":[{\"severity\":\"page\",\"longWindow\":\"5m\",\"shortWindow\":\"1h\",\"factor\":14.4}]}]}", "strategies[0].conditions[0].shortWindow")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\",\"significance\":[{\"share\":2,\"within\":\"1h\"}]}", "significance[0].share")]
    [InlineData("{\"from\":\"2026-11-20T08:00:00Z\",\"to\":\"2026-11-20T09:00:00Z\",\"grace\":\"31d\"}", "grace")]
    public async Task an_invalid_backtest_is_400_naming_the_field(string body, string field)
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));

        var response = await Client().Send(HttpMethod.Post, Url, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task a_range_over_400_days_is_400_naming_to()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromDays(402));

        var response = await Client().Send(HttpMethod.Post, Url, new { from = Instant(T), to = Instant(T.AddDays(401)) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("to", out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task an_unknown_slo_is_404()
    {
        var response = await Client().Send(HttpMethod.Post, "/api/v1/slos/nowhere/alerting-backtest",
            new { from = Instant(T.AddHours(-2)), to = Instant(T) });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nowhere", (await Problem(response)).GetProperty("detail").GetString());
    }
}
