using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;

namespace Sre.Host.Messaging;

/// <summary>
/// Publishes integration events from the event store through a checkpointed Marten subscription run by the async
/// daemon (on one process at a time: the one Wolverine assigns the shard to). A page's checkpoint advances only after every message of it is
/// confirmed by the broker, so publishing is at least once and in order, and resumes from the checkpoint after
/// a restart or a broker outage. Each publish has a deadline; an unreachable broker is retried with backoff.
/// </summary>
public sealed class IntegrationEventPublisher : SubscriptionBase
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly IBus _bus;
    private readonly ILogger<IntegrationEventPublisher> _logger;

    public IntegrationEventPublisher(IBus bus, ILogger<IntegrationEventPublisher> logger)
    {
        _bus = bus;
        _logger = logger;
        Name = "integration-events";
        foreach (var type in IntegrationEventMap.SourceTypes) IncludeType(type);
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken ct)
    {
        foreach (var e in page.Events)
        {
            foreach (var message in await IntegrationEventMap.From(e, operations, ct))
                await PublishUntilConfirmed(message, ct);
        }
        return NullChangeListener.Instance;
    }

    private async Task PublishUntilConfirmed(Contracts.IIntegrationEvent message, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(Deadline);
                // Two messages may come from one event (a budget and the gate): the message id tells them apart.
                var messageId = message is Contracts.ReleaseGateChanged ? Sre.Domain.NameBasedGuid.Create(message.SourceEventId, "gate") : message.SourceEventId;
                await _bus.Publish((object)message, message.GetType(), context => context.MessageId = messageId, deadline.Token);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _logger.LogWarning(e, "Publishing {Type} from event {EventId} failed; retrying in {Backoff}",
                    message.GetType().Name, message.SourceEventId, backoff);
                await Task.Delay(backoff, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
        }
    }
}
