using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Slos;
using Sre.Host.Tests.Support;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Tracking;

namespace Sre.Host.Tests.Slos;

/// <summary>
/// Budget events (2% of a 30-day budget within 1 hour) recorded by the evaluator on the SLO's stream. At 99.9% and 1,000
/// requests a minute, an hour is hot from 864 bad requests on (0.02 × 720 h ÷ 1 h × 0.001 × 60,000); ten minutes of 100
/// bad requests make an hour hot from the window holding nine of them.
/// </summary>
public class BudgetEventTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;
    private static readonly Guid Slo = SloIds.For("checkout-availability");

    /// <summary>1,000 bad of 10,000 requests over 10 minutes, where the target allows 10: 100 × 10 min ÷ 43,200 min of the period.</summary>
    private const double TenBadMinutesSpent = 1000.0 / 10 * 10 / 43_200;

    private async Task<IReadOnlyList<object>> Recorded()
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(Slo)).Select(e => e.Data).Where(e => e is BudgetEventRecorded or BudgetEventExtended).ToList();
    }

    /// <summary>Evaluations queued at once, handled in parallel; waits until every one (and its retries) is done.</summary>
    private async Task Evaluate(int times)
    {
        async Task Publish(IMessageContext bus)
        {
            for (var i = 0; i < times; i++) await bus.PublishAsync(new EvaluateSlo(Slo));
        }
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected().ExecuteAndWaitAsync(Publish);
    }

    [Fact]
    public async Task a_budget_event_is_recorded_once_with_its_start_end_and_spend_under_repeated_evaluation()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        await Client().Observe("checkout-availability", T.AddMinutes(60), 10, 1000, 100);
        await Client().Observe("checkout-availability", T.AddMinutes(70), 50, 1000, 0);

        for (var i = 0; i < 3; i++) await Evaluate(1);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Evaluate(2);

        var recorded = Assert.IsType<BudgetEventRecorded>(Assert.Single(await Recorded()));
        Assert.Equal((T.AddMinutes(60), T.AddMinutes(70), 1000m), (recorded.Event.Start, recorded.Event.End, recorded.Event.Bad));
        Assert.Equal(TenBadMinutesSpent, recorded.Event.Spent, 12);
        Assert.Equal((0.02, TimeSpan.FromHours(1)), (recorded.Share, recorded.Within));
        // Recorded when the bad slices arrived, at T+2h: the data came late, the event is as it happened.
        Assert.Equal(T.AddHours(2), recorded.At);

        var slo = await Get<JsonElement>("/api/v1/slos/checkout-availability");
        var shown = Assert.Single(slo.GetProperty("budgetEvents").EnumerateArray());
        Assert.Equal(T.AddMinutes(60), shown.GetProperty("start").GetDateTimeOffset());
    }

    [Fact]
    public async Task concurrent_evaluations_record_a_budget_event_once_and_leave_nothing_dead_lettered()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(66));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        // Slices may end up to 5 minutes ahead of the clock: the evaluation at their arrival sees the six that ended.
        await Client().Observe("checkout-availability", T.AddMinutes(60), 10, 1000, 100);
        Assert.Empty(await Recorded());

        Clock.Advance(TimeSpan.FromMinutes(4));
        var storage = Host.Services.GetRequiredService<IWolverineRuntime>().Storage;
        var deadLetters = (await storage.Admin.FetchCountsAsync()).DeadLetter;
        await Evaluate(8);

        var recorded = Assert.IsType<BudgetEventRecorded>(Assert.Single(await Recorded()));
        Assert.Equal((T.AddMinutes(60), T.AddMinutes(70)), (recorded.Event.Start, recorded.Event.End));
        Assert.Equal(deadLetters, (await storage.Admin.FetchCountsAsync()).DeadLetter);
    }

    [Fact]
    public async Task late_data_that_extends_a_budget_event_is_recorded_as_an_extension_of_it()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(80));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        await Client().Observe("checkout-availability", T.AddMinutes(60), 10, 1000, 100);
        await Client().Observe("checkout-availability", T.AddMinutes(75), 5, 1000, 0);
        var first = Assert.IsType<BudgetEventRecorded>(Assert.Single(await Recorded())).Event;

        // Five more bad minutes, [T+70, T+75), arrive late.
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Client().Observe("checkout-availability", T.AddMinutes(70), 5, 1000, 100);

        var events = await Recorded();
        Assert.Equal(2, events.Count);
        var extended = Assert.IsType<BudgetEventExtended>(events[1]);
        Assert.Equal(first, Assert.Single(extended.Extends));
        Assert.Equal((T.AddMinutes(60), T.AddMinutes(75), 1500m), (extended.Event.Start, extended.Event.End, extended.Event.Bad));
        Assert.Equal(1500.0 / 15 * 15 / 43_200, extended.Event.Spent, 12);

        await using var session = Store.QuerySession();
        var slo = (await session.LoadAsync<Slo>(Slo))!;
        Assert.Equal([extended.Event], slo.BudgetEvents);
        Assert.Equal(extended.Event, BudgetEvents.Find(slo.Definition, slo.CountsFrom,
            (await Host.Services.GetRequiredService<SliceStore>().Read(Slo, T, Clock.GetUtcNow(), default)).Select(s => s.ToObservation()),
            T, Clock.GetUtcNow()).Single());
    }
}
