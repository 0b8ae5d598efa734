using System.Buffers.Binary;
using JasperFx;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace Sre.Host.Cluster;

/// <summary>
/// The periodic work's key space (SLO, backup target and incident ids) cut into <see cref="ClusterOptions.Partitions"/>
/// partitions, each a Wolverine agent (<c>sre-partition://work/{n}</c>) that the cluster's leader assigns to exactly one
/// running process and spreads evenly (<see cref="AssignmentGrid.DistributeEvenly(string)"/>); a process that joins
/// takes its share, one that leaves or dies hands its share over within <see cref="ClusterOptions.Handover"/>. The SLO
/// sweep, the pull and the backup monitor each handle only the keys of the partitions running here
/// (<see cref="OwnedPartitions"/>).
/// </summary>
public sealed class WorkPartitions(OwnedPartitions owned) : IStaticAgentFamily
{
    public const string AgentScheme = "sre-partition";

    public string Scheme => AgentScheme;

    /// <summary>The agent of partition <paramref name="partition"/>.</summary>
    public static Uri AgentUri(int partition) => new($"{AgentScheme}://work/{partition}");

    /// <summary>The partition an agent URI names, or null for another agent.</summary>
    public static int? PartitionOf(Uri agent) =>
        agent.Scheme == AgentScheme && int.TryParse(agent.Segments[^1], out var n) ? n : null;

    /// <summary>
    /// The partition of a key: its sixteen bytes (as <see cref="Guid.TryWriteBytes(Span{byte})"/> writes them) folded into
    /// one 64-bit number, mixed by SplitMix64's finalizer (every input bit moves every output bit), modulo the count. The same in every process and every version, as ownership must be; every byte counts, so name-based
    /// (version 5), random (version 4) and time-ordered (version 7) ids alike spread evenly, though a version 7 id's
    /// leading bytes hardly change.
    /// </summary>
    public static int PartitionOf(Guid key, int partitions)
    {
        Span<byte> bytes = stackalloc byte[16];
        key.TryWriteBytes(bytes);
        var z = BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return (int)((z ^ (z >> 31)) % (uint)partitions);
    }

    public ValueTask<IReadOnlyList<Uri>> AllKnownAgentsAsync() => ValueTask.FromResult(All());

    public ValueTask<IReadOnlyList<Uri>> SupportedAgentsAsync() => ValueTask.FromResult(All());

    public ValueTask<IAgent> BuildAgentAsync(Uri uri, IWolverineRuntime wolverineRuntime) =>
        PartitionOf(uri) is { } n && n < owned.Count
            ? ValueTask.FromResult<IAgent>(new PartitionAgent(uri, n, owned))
            : throw new InvalidAgentException($"{uri} is not a work partition of this service");

    public ValueTask EvaluateAssignmentsAsync(AssignmentGrid assignments)
    {
        assignments.DistributeEvenly(Scheme);
        return ValueTask.CompletedTask;
    }

    private IReadOnlyList<Uri> All() => [.. Enumerable.Range(0, owned.Count).Select(AgentUri)];
}

/// <summary>One partition running here: while it runs, this process does the periodic work of the partition's keys.</summary>
public sealed class PartitionAgent(Uri uri, int partition, OwnedPartitions owned) : IAgent
{
    public Uri Uri { get; } = uri;

    public AgentStatus Status { get; private set; } = AgentStatus.Stopped;

    public string Description => $"The periodic work (SLO evaluation and pull, backup checks) of partition {partition}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        owned.Take(partition);
        Status = AgentStatus.Running;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        owned.Release(partition);
        Status = AgentStatus.Stopped;
        return Task.CompletedTask;
    }
}

/// <summary>
/// The work partitions this process owns now. In Solo mode (<see cref="ClusterOptions.Mode"/>) it owns every key from
/// the start, whatever its agents' state: it is the only process, and a sweep at start must not find nothing its own.
/// </summary>
public sealed class OwnedPartitions(IOptions<ClusterOptions> options, WolverineOptions wolverine)
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _owned = [];

    /// <summary>How many partitions there are.</summary>
    public int Count => options.Value.Partitions;

    // Wolverine's own setting, which a test host may set apart from the configuration (RunWolverineInSoloMode).
    private bool Solo => wolverine.Durability.Mode == DurabilityMode.Solo;

    /// <summary>Whether this process does the periodic work of this key now.</summary>
    public bool Owns(Guid key)
    {
        if (Solo) return true;
        lock (_gate) return _owned.Contains(WorkPartitions.PartitionOf(key, Count));
    }

    /// <summary>The partitions running here, in order.</summary>
    public IReadOnlyList<int> Running()
    {
        lock (_gate) return [.. _owned.Order()];
    }

    internal void Take(int partition)
    {
        lock (_gate) _owned.Add(partition);
    }

    internal void Release(int partition)
    {
        lock (_gate) _owned.Remove(partition);
    }
}
