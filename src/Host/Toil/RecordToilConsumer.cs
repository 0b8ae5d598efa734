using Marten;
using MassTransit;
using Sre.Host.Messaging;

namespace Sre.Host.Toil;

/// <summary>Toil sent on the bus (by a ticketing or chat integration): the same path as POST /api/v1/toil.</summary>
public sealed class RecordToilConsumer(IDocumentStore store, TimeProvider clock) : IConsumer<Contracts.RecordToil>
{
    public async Task Consume(ConsumeContext<Contracts.RecordToil> context)
    {
        await using var session = store.LightweightSession();
        var outcome = await ToilWriter.Record(session, context.Message, clock.GetUtcNow(), context.CancellationToken);
        if (outcome.Errors.Count > 0) throw new InvalidMessageException(outcome.Errors);
    }
}
