using MassTransit;
using Sre.Domain.Deployments;
using Sre.Host.Tests.Support;
using C = Sre.Contracts;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>A message consumed while the database is down is retried with backoff, and stored once it is back.</summary>
[Collection(LiveStackCollection.Name)]
public sealed class BusFaultTests(LiveStack stack) : IAsyncLifetime
{
    private readonly string _vhost = $"sre-fault-{Guid.NewGuid():N}"[..20];
    private readonly string _url = $"http://127.0.0.1:{Repository.FreePort()}";
    private readonly string _work = Directory.CreateTempSubdirectory("sre-bus-fault-").FullName;
    private ChildProcess? _service;

    public async Task InitializeAsync()
    {
        await Broker.CreateVirtualHost(_vhost);
        _service = await ChildProcess.Service(_url, Path.Combine(_work, "service.log"), new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = Environment.GetEnvironmentVariable("SRE_TEST_FAULT_PG")!,
            ["Marten__Schema"] = $"busf_{Guid.NewGuid():N}"[..16],
            ["Bus__Port"] = TestEnvironment.RabbitMqPort.ToString(),
            ["Bus__VirtualHost"] = _vhost,
        }, stack.Http);
        // The service answers HTTP before its bus has declared its queues (or while another test has the broker
        // stopped): a message published before then would find no queue.
        await Repository.Eventually(async () =>
        {
            try
            {
                return await Broker.Consumers("record-deployment", _vhost) > 0;
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the service consumes record-deployment");
    }

    public Task DisposeAsync()
    {
        _service?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task a_deployment_sent_while_the_database_is_down_is_stored_when_it_comes_back()
    {
        var deployedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var sender = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host("127.0.0.1", TestEnvironment.RabbitMqPort, _vhost, h =>
        {
            h.Username("guest");
            h.Password("guest");
        }));
        await sender.StartAsync();
        await stack.StopDatabase();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await sender.Publish(new C.RecordDeployment("payments", "v9", deployedAt, "ci"), deadline.Token);
            // The broker confirmed the publish: once the queue is empty the consumer holds the message, and its
            // attempts meet the outage; it stays unacknowledged while they are retried.
            await Repository.Eventually(async () => await Broker.Ready("record-deployment", _vhost) == 0,
                TimeSpan.FromSeconds(30), "the consumer takes the message during the outage");
        }
        finally
        {
            await stack.StartDatabase();
            await sender.StopAsync();
        }

        var id = Deployment.IdFor("payments", "v9", deployedAt);
        await Repository.Eventually(async () => (await stack.Http.GetAsync($"{_url}/api/v1/services/payments/deployments/{id}/impact")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "the deployment is stored after the outage");
        Assert.Empty(await Broker.Drain("record-deployment_error", _vhost));
    }
}
