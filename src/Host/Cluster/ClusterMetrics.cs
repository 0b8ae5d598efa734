using System.Diagnostics.Metrics;
using Sre.Host.Operations;

namespace Sre.Host.Cluster;

/// <summary>
/// <c>GET /api/v1/ops/cluster</c> as gauges on <c>/metrics</c>, read from the node registry once per scrape (at most
/// every few seconds): per process (<c>node</c> label, Wolverine's node id) its info, start and last heartbeat (Unix
/// seconds), and the work partitions and subscription shards it runs; the partitions no process runs.
/// </summary>
public sealed class ClusterMetrics : IDisposable
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly Meter _meter = new(BusinessMetrics.MeterName);
    private readonly ScrapeSnapshot<ClusterAnswer?> _answer;

    public ClusterMetrics(ClusterView cluster, TimeProvider clock, ILogger<ClusterMetrics> logger)
    {
        _answer = new ScrapeSnapshot<ClusterAnswer?>("the cluster's node registry", null, async ct => await cluster.Read(ct), Freshness, clock, logger);
        _meter.CreateObservableGauge("sre_cluster_node_info", () => Per(n => 1,
                n => [new("version", n.Version), new("number", n.Number), new("description", n.Description), new("leader", n.Leader)]),
            description: "1 per running process of the cluster, with its version, node number and whether it leads.");
        _meter.CreateObservableGauge("sre_cluster_node_started_seconds", () => Per(n => n.Started.ToUnixTimeMilliseconds() / 1000.0),
            unit: "s", description: "When the process started (Unix time).");
        _meter.CreateObservableGauge("sre_cluster_node_heartbeat_seconds", () => Per(n => n.LastHeartbeat.ToUnixTimeMilliseconds() / 1000.0),
            unit: "s", description: "The process's last heartbeat (Unix time).");
        _meter.CreateObservableGauge("sre_cluster_node_partitions", () => Per(n => (double)n.Partitions.Count),
            description: "Work partitions the process runs.");
        _meter.CreateObservableGauge("sre_cluster_node_subscriptions", () => Per(n => (double)n.Subscriptions.Count),
            description: "Projection and subscription shards the process runs.");
        _meter.CreateObservableGauge("sre_cluster_partitions_unassigned", () => Current()?.UnassignedPartitions.Count ?? 0,
            description: "Work partitions no process runs now.");
    }

    private IEnumerable<Measurement<double>> Per(Func<ClusterNode, double> value, Func<ClusterNode, KeyValuePair<string, object?>[]>? labels = null) =>
        (Current()?.Nodes ?? []).Select(n => new Measurement<double>(value(n), [new("node", n.Id.ToString()), .. labels?.Invoke(n) ?? []]));

    private ClusterAnswer? Current() => _answer.Current();

    public void Dispose() => _meter.Dispose();
}
