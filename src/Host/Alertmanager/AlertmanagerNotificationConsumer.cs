using MassTransit;
using Sre.Host.Messaging;
using Wolverine.Http;

namespace Sre.Host.Alertmanager;

/// <summary>Alertmanager notifications relayed over the bus: the same payload, validation, dedup and grouping as the webhook.</summary>
public sealed class AlertmanagerNotificationConsumer(AlertIngestor ingestor) : IConsumer<Contracts.AlertmanagerNotification>
{
    public async Task Consume(ConsumeContext<Contracts.AlertmanagerNotification> context)
    {
        var problem = NotificationPayload.Validate(context.Message);
        if (problem != WolverineContinue.NoProblems) throw new InvalidMessageException(problem);
        await ingestor.Submit(NotificationPayload.ToNotification(context.Message, context.MessageId ?? Guid.CreateVersion7()), context.CancellationToken);
    }
}
