using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Host.Cluster;
using Sre.Projections.Caching;
using Wolverine;
using Wolverine.Runtime;

namespace Sre.Host.Slos.Prometheus;

/// <summary>Pull an SLO's SLI now: sent when an SLO whose SLI is PromQL is defined or redefined, so its history fills at once.</summary>
public sealed record PullSli(Guid SloId)
{
    /// <summary>The pulls a write of these definitions sets off: one per SLO whose SLI is PromQL (the handler checks its source).</summary>
    public static IEnumerable<PullSli> For(IEnumerable<(Guid SloId, SloDefinition Definition)> slos) =>
        slos.Where(s => s.Definition.Sli.IsPromQl).Select(s => new PullSli(s.SloId));

    /// <summary>The pull a write of this definition sets off, if its SLI is PromQL.</summary>
    public static IEnumerable<PullSli> For(Guid sloId, SloDefinition definition) => For([(sloId, definition)]);
}

public static class PullSliBus
{
    /// <summary>Queues the pulls of these definitions on a bus enrolled in a Marten session's outbox: sent if it commits.</summary>
    public static async ValueTask PullOnCommit(this IMessageBus bus, IEnumerable<(Guid SloId, SloDefinition Definition)> slos)
    {
        foreach (var pull in PullSli.For(slos).Distinct()) await bus.PublishAsync(pull);
    }
}

/// <summary>
/// Fills a newly (re)defined pulled SLO's history without waiting for the next periodic pull, asking Prometheus once per
/// query (no backoff holds the side-effects queue), in the process that owns the SLO's work partition
/// (<see cref="OwnedPartitions"/>): a process that does not own it forwards the message to the one that does (Wolverine's
/// <see cref="AgentMessagingExtensions.InvokeOnAgentOrForwardAsync"/>), or, while no process owns it (a handover), leaves
/// it to the next periodic pull of the next owner. A pull that cannot reach Prometheus is logged and counted
/// (<see cref="SliPuller.PullLogged"/>) and left to the periodic pull, with its retries, which resumes from what was
/// stored; the message is not retried.
/// </summary>
public static class PullSliHandler
{
    public static async Task Handle(PullSli message, IMessageContext context, SliPuller puller, IQuerySession session, ProjectionCache cache,
        IOptions<PrometheusOptions> options, OwnedPartitions owned, ILogger<PullSli> logger, CancellationToken ct)
    {
        if (await session.LoadAsync<Slo>(message.SloId, ct) is not { IsRetired: false } slo
            || (await DataSourceCatalog.Load(session, cache, options.Value, ct)).Pulls(slo.Definition.Sli) is null) return;
        if (owned.Owns(slo.Id))
        {
            await puller.PullLogged(slo, ct, singleAttempt: true);
            return;
        }
        var partition = WorkPartitions.AgentUri(WorkPartitions.PartitionOf(slo.Id, owned.Count));
        if (!await context.InvokeOnAgentOrForwardAsync(partition, async (_, token) => await puller.PullLogged(slo, token, singleAttempt: true), ct))
            logger.LogInformation("No process owns the work partition of SLO {Slo} now; its next owner pulls it at its next pull", slo.Name);
    }
}
