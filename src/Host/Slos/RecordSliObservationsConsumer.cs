using MassTransit;
using Sre.Domain.Slos;
using Sre.Host.Messaging;

namespace Sre.Host.Slos;

/// <summary>SLI slices from the bus: the same writer and validation as POST /api/v1/observations.</summary>
public sealed class RecordSliObservationsConsumer(ObservationWriter writer) : IConsumer<Contracts.RecordSliObservations>
{
    public async Task Consume(ConsumeContext<Contracts.RecordSliObservations> context)
    {
        var items = (context.Message.Observations ?? [])
            .Select((o, i) => new ObservationItem(o.Slo, new ObservedSlice(o.Start, o.End, o.Total, o.Good, o.Value), $"observations[{i}]"))
            .ToList();
        if (items.Count == 0) throw new InvalidMessageException(new Dictionary<string, string[]> { ["observations"] = ["must hold at least one observation."] });
        var outcome = await writer.Record(items, context.Message.By ?? "bus", context.CancellationToken);
        if (outcome.Conflict is { } conflict) throw new InvalidMessageException(new Dictionary<string, string[]> { ["observations"] = [conflict] });
        if (outcome.Result is null) throw new InvalidMessageException(outcome.Errors);
    }
}
