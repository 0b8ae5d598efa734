using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Host.Slos;
using Sre.Host.Tests.Support;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Tracking;

namespace Sre.Host.Tests.Slos;

/// <summary>Evaluations are messages on a local queue, handled in parallel and retried when they meet on the SLO's stream.</summary>
public class SloEvaluationTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private async Task<int> Recorded(string eventType)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(SloIds.For("checkout-availability"))).Count(e => e.Data.GetType().Name == eventType);
    }

    [Fact]
    public async Task concurrent_evaluations_record_a_transition_once_and_leave_nothing_dead_lettered()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 120, 100_000, 0);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Client().Observe("checkout-availability", T.AddHours(2), 1, 100_000, 100_000);
        // Ten minutes on, the 5-minute window no longer holds the outage: every evaluation sees the same alert to clear.
        Clock.Advance(TimeSpan.FromMinutes(10));
        var storage = Host.Services.GetRequiredService<IWolverineRuntime>().Storage;
        var deadLetters = (await storage.Admin.FetchCountsAsync()).DeadLetter;

        async Task EightEvaluations(IMessageContext bus)
        {
            for (var i = 0; i < 8; i++) await bus.PublishAsync(new EvaluateSlo(SloIds.For("checkout-availability")));
        }

        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync(EightEvaluations);

        // The evaluations that lost the race on the stream's version were retried, found nothing left, and succeeded.
        Assert.Equal(1, await Recorded("BurnRateAlertCleared"));
        Assert.Equal(4, await Recorded("BurnRateAlertRaised"));
        Assert.Equal(deadLetters, (await storage.Admin.FetchCountsAsync()).DeadLetter);
    }
}
