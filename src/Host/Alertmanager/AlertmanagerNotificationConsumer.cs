using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Sre.Host.Messaging;

namespace Sre.Host.Alertmanager;

/// <summary>Alertmanager notifications relayed over the bus: the same parser, dedup and grouping as the webhook.</summary>
public sealed class AlertmanagerNotificationConsumer(AlertIngestor ingestor) : IConsumer<Contracts.AlertmanagerNotification>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task Consume(ConsumeContext<Contracts.AlertmanagerNotification> context)
    {
        var parsed = NotificationParser.Parse(JsonSerializer.SerializeToUtf8Bytes(context.Message, Json), context.MessageId ?? Guid.CreateVersion7());
        if (!parsed.IsValid) throw new InvalidMessageException(parsed.Errors);
        await ingestor.Submit(parsed.Notification!, context.CancellationToken);
    }
}
