using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Host.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

public class SloStatusTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private async Task<IReadOnlyList<string>> SloEvents(string name)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(SloIds.For(name))).Select(e => e.Data.GetType().Name).ToList();
    }

    /// <summary>The clock's sweep, with the evaluations it queues handled.</summary>
    private Task Sweep() => Host.Settled(() => Host.Services.GetRequiredService<SloSweep>().SweepAll(CancellationToken.None));

    [Fact]
    public async Task status_reports_every_window_with_its_event_count_and_the_alert_states()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        await Client().Observe("checkout-availability", T.AddHours(1), 60, 1000, 20); // 2% errors: burn 20

        var status = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");

        var windows = status.GetProperty("burnRates").EnumerateArray().ToDictionary(b => b.GetProperty("window").GetString()!);
        Assert.Equal(["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"], windows.Keys);
        Assert.Equal(20, windows["1h"].GetProperty("burnRate").GetDouble(), 9);
        Assert.Equal(60_000, windows["1h"].GetProperty("total").GetDouble());
        Assert.Equal(10, windows["2h"].GetProperty("burnRate").GetDouble(), 9);
        Assert.True(status.GetProperty("page").GetBoolean());
        Assert.False(status.GetProperty("noData").GetBoolean());
        // 1,200 bad of 120,000 against an allowance of 120: spent ten times over, exhausted now.
        Assert.Equal(-9, status.GetProperty("budget").GetProperty("remaining").GetDouble(), 9);
        Assert.Equal(0, status.GetProperty("timeToExhaustionSeconds").GetDouble());
        var fast = status.GetProperty("conditions")[0];
        Assert.Equal(("page", "1h", "5m", 14.4, true), (fast.GetProperty("severity").GetString(), fast.GetProperty("longWindow").GetString(),
            fast.GetProperty("shortWindow").GetString(), fast.GetProperty("factor").GetDouble(), fast.GetProperty("firing").GetBoolean()));
    }

    [Fact]
    public async Task new_slo_without_data_is_at_100_percent_with_no_data()
    {
        await Client().DefineSlo(SloSteps.Availability());
        var status = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");
        Assert.True(status.GetProperty("noData").GetBoolean());
        Assert.Equal(1.0, status.GetProperty("budget").GetProperty("remaining").GetDouble());
        Assert.All(status.GetProperty("burnRates").EnumerateArray(), b => Assert.Equal(JsonValueKind.Null, b.GetProperty("burnRate").ValueKind));
    }

    [Fact]
    public async Task the_clock_evaluator_raises_once_and_clears_when_the_windows_slide_past_the_errors()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 120, 100_000, 0);
        Clock.Advance(TimeSpan.FromMinutes(1));
        // A one-minute outage: burn 200 over 5 minutes, 16.7 over the hour (both above 14.4).
        await Client().Observe("checkout-availability", T.AddHours(2), 1, 100_000, 100_000);
        // Every window from 5m to 3d holds the outage: all four conditions fire, each recorded once.
        Assert.Equal(4, (await SloEvents("checkout-availability")).Count(e => e == "BurnRateAlertRaised"));

        await Sweep();
        await Sweep();
        Assert.Equal(4, (await SloEvents("checkout-availability")).Count(e => e == "BurnRateAlertRaised"));

        // No new data: ten minutes later the 5-minute window no longer holds the spike.
        Clock.Advance(TimeSpan.FromMinutes(10));
        await Sweep();
        Assert.Equal(1, (await SloEvents("checkout-availability")).Count(e => e == "BurnRateAlertCleared"));
    }

    [Fact]
    public async Task list_puts_the_worst_budget_first_and_filters_by_service_and_label()
    {
        await Client().DefineSlo(SloSteps.Availability("checkout-availability"));
        await Client().DefineSlo(SloSteps.Availability("search-availability", service: "search"));
        Clock.Advance(TimeSpan.FromMinutes(10));
        await Client().Observe("search-availability", T, 10, 1000, 5);
        await Client().Observe("checkout-availability", T, 10, 1000, 0);

        var worstFirst = await Get<JsonElement>("/api/v1/slos?sort=remainingBudget");
        var search = await Get<JsonElement>("/api/v1/slos?service=search");
        var team = await Get<JsonElement>("/api/v1/slos?label=team=payments");

        Assert.Equal(["search-availability", "checkout-availability"], worstFirst.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(1, search.GetArrayLength());
        Assert.Equal(2, team.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client().GetAsync("/api/v1/slos?sort=colour")).StatusCode);
    }

    [Fact]
    public async Task budget_history_gives_the_numbers_as_they_stood_at_each_step()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(1));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        Clock.Advance(TimeSpan.FromHours(1));
        await Client().Observe("checkout-availability", T.AddHours(1), 60, 1000, 1);
        Clock.Advance(TimeSpan.FromHours(1));

        var history = await Get<JsonElement>(
            $"/api/v1/slos/checkout-availability/budget-history?from={Uri.EscapeDataString(T.ToString("O"))}&step=1h");

        Assert.Equal(0, history.GetProperty("deployments").GetArrayLength());
        var points = history.GetProperty("points");
        Assert.Equal(4, points.GetArrayLength());
        Assert.True(points[0].GetProperty("noData").GetBoolean());
        Assert.Equal(1.0, points[1].GetProperty("remainingBudget").GetDouble());
        // 60 bad of 120,000 against 120 allowed.
        Assert.Equal(0.5, points[2].GetProperty("remainingBudget").GetDouble(), 9);
        Assert.Equal(0.5, points[3].GetProperty("remainingBudget").GetDouble(), 9);
    }

    [Fact]
    public async Task a_timeslices_budget_counts_every_slice_of_the_window_in_status_history_and_gate()
    {
        await Client().DefineSlo(new
        {
            name = "checkout-availability", service = "checkout", by = "alice", targetPercent = 99.9,
            sli = new { kind = "availability" },
            window = new { kind = "rolling", duration = "30d" },
            budgeting = new { method = "timeslices", sliceLength = "1m", sliceTarget = 0.95 },
        });
        Clock.Advance(TimeSpan.FromHours(1));
        await Client().Observe("checkout-availability", T, 59, 1000, 0);
        await Client().Observe("checkout-availability", T.AddMinutes(59), 1, 1000, 100);

        var status = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");
        var history = await Get<JsonElement>(
            $"/api/v1/slos/checkout-availability/budget-history?from={Uri.EscapeDataString(T.AddHours(1).ToString("O"))}&step=1h");
        var gate = await Get<JsonElement>("/api/v1/services/checkout/release-gate");

        // 99.9% of 43,200 minutes allows 43.2 bad minutes; one was bad.
        var remaining = status.GetProperty("budget").GetProperty("remaining").GetDouble();
        Assert.Equal(0.976852, remaining, 6);
        var slices = status.GetProperty("slices");
        Assert.Equal((43_200, 60, 0), (slices.GetProperty("inWindow").GetInt64(), slices.GetProperty("withData").GetInt64(), slices.GetProperty("withoutData").GetInt64()));
        Assert.Equal(remaining, history.GetProperty("points")[0].GetProperty("remainingBudget").GetDouble());
        Assert.True(gate.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task a_budget_spent_to_the_last_event_is_exhausted_recorded_and_freezes_the_gate()
    {
        await Client().DefineSlo(new
        {
            name = "checkout-availability", service = "checkout", by = "alice", targetPercent = 99.9,
            sli = new { kind = "availability" }, window = new { kind = "rolling", duration = "30d" },
        });
        Clock.Advance(TimeSpan.FromHours(2));
        // 100,000 requests, 100 failed: exactly the 0.1% allowed.
        await Client().Observe("checkout-availability", T, 100, 1000, 1);
        await Sweep();

        var status = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");
        var gate = await Get<JsonElement>("/api/v1/services/checkout/release-gate");

        Assert.Equal(0.0, status.GetProperty("budget").GetProperty("remaining").GetDouble());
        Assert.Contains("ErrorBudgetExhausted", await SloEvents("checkout-availability"));
        Assert.False(gate.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task status_before_the_slo_existed_is_404()
    {
        await Client().DefineSlo(SloSteps.Availability());
        var response = await Client().GetAsync("/api/v1/slos/checkout-availability/status?at=2020-01-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
