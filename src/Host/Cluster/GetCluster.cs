using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Runtime;

namespace Sre.Host.Cluster;

/// <summary>The processes sharing this database, as Wolverine's node registry has them, with what each runs.</summary>
/// <param name="Mode">Balanced or Solo (<see cref="ClusterOptions.Mode"/>).</param>
/// <param name="Self">The id of the process that answers.</param>
/// <param name="Partitions">How many work partitions there are.</param>
/// <param name="Handover">The longest a dead process's work waits for a new owner (<see cref="ClusterOptions.Handover"/>).</param>
/// <param name="Nodes">The processes, by node number.</param>
/// <param name="UnassignedPartitions">Partitions no process runs now (during a handover).</param>
public sealed record ClusterAnswer(
    string Mode, Guid Self, int Partitions, TimeSpan Handover, IReadOnlyList<ClusterNode> Nodes, IReadOnlyList<int> UnassignedPartitions);

/// <summary>One process of the cluster.</summary>
/// <param name="Id">Wolverine's node id (new at every start).</param>
/// <param name="Number">The node number Wolverine assigned (1 and up).</param>
/// <param name="Description">The machine or pod name.</param>
/// <param name="Version">The version of the service it runs.</param>
/// <param name="Started">When it started (UTC).</param>
/// <param name="LastHeartbeat">Its last heartbeat (UTC); older than the stale timeout means dead.</param>
/// <param name="Leader">Whether it is the leader that assigns the work.</param>
/// <param name="Partitions">The work partitions it runs.</param>
/// <param name="Subscriptions">The projection and subscription shards it runs (Marten shard paths, such as <c>incidents/all</c>).</param>
/// <param name="Agents">Every agent it runs, as Wolverine names them (URIs).</param>
public sealed record ClusterNode(
    Guid Id, int Number, string Description, string Version, DateTimeOffset Started, DateTimeOffset LastHeartbeat, bool Leader,
    IReadOnlyList<int> Partitions, IReadOnlyList<string> Subscriptions, IReadOnlyList<string> Agents);

/// <summary>
/// <c>GET /api/v1/ops/cluster</c> (read scope): the processes (id, version, started, last heartbeat) and what each is
/// running (work partitions, projection and subscription shards). 200 with <see cref="ClusterAnswer"/>; 503 when the
/// database cannot be read. The same numbers are on <c>/metrics</c> (<see cref="ClusterMetrics"/>).
/// </summary>
public static class GetClusterEndpoint
{
    [WolverineGet("/api/v1/ops/cluster")]
    [Authorize(Policies.Read)]
    public static Task<ClusterAnswer> Get(ClusterView cluster, CancellationToken ct) => cluster.Read(ct);
}

/// <summary>
/// The cluster as the node registry has it: the one reading behind the endpoint and the metrics. It only reads (the
/// runtime it holds sends nothing).
/// </summary>
public sealed class ClusterView(IWolverineRuntime runtime, IOptions<ClusterOptions> settings, TimeProvider clock)
{
    public const string SubscriptionScheme = "event-subscriptions";

    public async Task<ClusterAnswer> Read(CancellationToken ct)
    {
        var options = settings.Value;
        var self = runtime.Options.UniqueNodeId;
        var nodes = (await runtime.Storage.Nodes.LoadAllNodesAsync(ct)).ToList();
        // A Solo process keeps no registry of others; it answers for itself, alive as it answers.
        if (nodes.All(n => n.NodeId != self))
            nodes.Add(new Wolverine.Runtime.Agents.WolverineNode
            {
                NodeId = self, AssignedNodeNumber = runtime.Options.Durability.AssignedNodeNumber,
                Version = runtime.Options.Version ?? new Version(0, 0), Started = Started, LastHealthCheck = clock.GetUtcNow(),
                ActiveAgents = [.. runtime.Agents.AllRunningAgentUris()],
            });
        var answered = nodes.OrderBy(n => n.AssignedNodeNumber).Select(n => new ClusterNode(
                n.NodeId, n.AssignedNodeNumber, n.Description, n.Version.ToString(), n.Started.ToUniversalTime(), n.LastHealthCheck.ToUniversalTime(),
                n.IsLeader(),
                [.. n.ActiveAgents.Select(WorkPartitions.PartitionOf).OfType<int>().Order()],
                [.. n.ActiveAgents.Where(a => a.Scheme == SubscriptionScheme).Select(ShardPath).Order()],
                [.. n.ActiveAgents.Select(a => a.ToString()).Order()]))
            .ToList();
        var running = answered.SelectMany(n => n.Partitions).ToHashSet();
        return new ClusterAnswer(runtime.Options.Durability.Mode.ToString(), self, options.Partitions, options.Handover, answered,
            [.. Enumerable.Range(0, options.Partitions).Where(p => !running.Contains(p))]);
    }

    /// <summary>
    /// The shard of a subscription agent: the URI's path after the store and database,
    /// <c>event-subscriptions://marten/main/{server}.{database}/{shard path}</c>.
    /// </summary>
    public static string ShardPath(Uri agent) => string.Join('/', agent.Segments.Skip(3).Select(s => s.Trim('/')));

    private static readonly DateTimeOffset Started = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
}
