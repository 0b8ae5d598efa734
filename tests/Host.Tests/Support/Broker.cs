using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Sre.Host.Tests.Support;

/// <summary>The test broker seen from outside the service: queues bound to its exchanges, the error queues, outages.</summary>
public static class Broker
{
    public sealed record Received(Guid MessageId, JsonElement Message, IDictionary<string, object?> Headers);

    private static ConnectionFactory Factory(string vhost) => new()
    {
        HostName = "127.0.0.1", Port = TestEnvironment.RabbitMqPort, VirtualHost = vhost,
    };

    /// <summary>A durable queue bound to the exchanges of these message types (MassTransit names them Namespace:Type); emptied first.</summary>
    public static async Task Bind(string queue, Type[] messageTypes, string vhost = "/")
    {
        await using var connection = await Factory(vhost).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        foreach (var type in messageTypes)
        {
            var exchange = $"{type.Namespace}:{type.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, "");
        }
        await channel.QueuePurgeAsync(queue);
    }

    public static async Task Purge(string queue, string vhost = "/")
    {
        await using var connection = await Factory(vhost).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueuePurgeAsync(queue);
    }

    /// <summary>
    /// A message as a producer on another stack sends it: this JSON as the message of a MassTransit envelope, published
    /// to the exchange of its type.
    /// </summary>
    public static async Task Publish(Type messageType, string message, string vhost = "/")
    {
        await using var connection = await Factory(vhost).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var exchange = $"{messageType.Namespace}:{messageType.Name}";
        var envelope = $"{{\"messageId\":\"{Guid.NewGuid()}\",\"messageType\":[\"urn:message:{exchange}\"],\"message\":{message}}}";
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };
        await channel.BasicPublishAsync(exchange, "", false, properties, Encoding.UTF8.GetBytes(envelope));
    }

    /// <summary>Takes every message waiting in the queue.</summary>
    public static async Task<IReadOnlyList<Received>> Drain(string queue, string vhost = "/")
    {
        await using var connection = await Factory(vhost).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        var messages = new List<Received>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            var envelope = JsonDocument.Parse(result.Body.ToArray()).RootElement;
            var headers = (result.BasicProperties.Headers ?? new Dictionary<string, object?>())
                .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value);
            messages.Add(new Received(envelope.GetProperty("messageId").GetGuid(), envelope.GetProperty("message"), headers));
        }
        return messages;
    }

    /// <summary>A virtual host of its own; waits out a broker another test has stopped for a moment (collections run in parallel).</summary>
    public static async Task CreateVirtualHost(string name) =>
        await Repository.Eventually(async () =>
        {
            try
            {
                await Control("vhost", name);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), $"the virtual host {name} is created");

    /// <summary>Consumers attached to a queue: competing consumers of several processes share one queue.</summary>
    public static async Task<uint> Consumers(string queue, string vhost = "/")
    {
        await using var connection = await Factory(vhost).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
    }

    /// <summary>Messages waiting in a queue, not yet delivered to a consumer.</summary>
    public static async Task<uint> Ready(string queue, string vhost = "/")
    {
        await using var connection = await Factory(vhost).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    public static Task Stop() => Control("stop");

    public static Task Start() => Control("start");

    private static async Task Control(string verb, params string[] more)
    {
        var script = Environment.GetEnvironmentVariable("SRE_TEST_RMQ_CTL") ?? Repository.PathOf("scripts/rmq");
        var (code, output) = await Repository.Run(script, [verb, "test", TestEnvironment.RabbitMqPort.ToString(), .. more]);
        if (code != 0) throw new InvalidOperationException($"scripts/rmq {verb}: {output}");
    }
}
