using Marten;
using MassTransit;
using Sre.Host.Messaging;

namespace Sre.Host.Deployments;

/// <summary>Deployments announced on the bus by CI pipelines: the same path as POST .../deployments.</summary>
public sealed class RecordDeploymentConsumer(IDocumentStore store, TimeProvider clock) : IConsumer<Contracts.RecordDeployment>
{
    public async Task Consume(ConsumeContext<Contracts.RecordDeployment> context)
    {
        await using var session = store.LightweightSession();
        var outcome = await DeploymentWriter.Record(session, context.Message, clock.GetUtcNow(), context.CancellationToken);
        if (outcome.Errors.Count > 0) throw new InvalidMessageException(outcome.Errors);
    }
}
