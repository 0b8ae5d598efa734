using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Tracking;

namespace Sre.Host.Tests.Support;

/// <summary>
/// The service answers a write once it is committed; what the write set off (an SLO's evaluation, a backup target's
/// check) is a message handled after the answer. A test step waits for those, so the next step sees their effects.
/// </summary>
public static class SideEffectSteps
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Runs a step that queues messages (a sweep) and waits until every message it set off is handled.</summary>
    public static async Task Settled(this IHost host, Func<Task> step) =>
        // Exceptions are not asserted here: a handler that met a concurrent writer is retried, and the test checks the outcome.
        await host.TrackActivity().Timeout(Patience).DoNotAssertOnExceptionsDetected().ExecuteAndWaitAsync((IMessageContext _) => step());

    /// <summary>Waits until no stored message is waiting to be handled: what every committed write queued has run.</summary>
    public static async Task SideEffectsHandled(this IServiceProvider services)
    {
        var storage = services.GetRequiredService<IWolverineRuntime>().Storage;
        var deadline = DateTime.UtcNow + Patience;
        while ((await storage.Admin.FetchCountsAsync()).Incoming > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Messages still waiting to be handled after {Patience}.");
            await Task.Delay(10);
        }
    }
}

/// <summary>The tests' HTTP client: the answer to a write is returned once the side effects of the write are handled.</summary>
public sealed class SettlingHandler(IServiceProvider services) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head) await services.SideEffectsHandled();
        return response;
    }
}
