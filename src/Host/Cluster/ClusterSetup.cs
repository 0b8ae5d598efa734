using System.ComponentModel.DataAnnotations;
using Sre.Host.Operations;
using Wolverine;
using Wolverine.Runtime.Agents;

namespace Sre.Host.Cluster;

/// <summary>Configuration section "Cluster": how the processes on one database share the background work.</summary>
public sealed class ClusterOptions
{
    /// <summary>
    /// Balanced (the default, and what Kubernetes runs): the processes elect a leader through the database, which spreads
    /// the projection and subscription shards and the work partitions across them. Solo: this process is the only one
    /// and runs everything (a developer's machine, the tests); never run two Solo processes on one database.
    /// </summary>
    [AllowedValues(DurabilityMode.Balanced, DurabilityMode.Solo), Display(Name = "Cluster:Mode")]
    public DurabilityMode Mode { get; set; } = DurabilityMode.Balanced;

    /// <summary>
    /// How many partitions the keys of the periodic work (SLOs, backup targets, incidents) fall into; each partition has
    /// one owner at a time (<see cref="WorkPartitions"/>). All processes of a database must agree on it.
    /// </summary>
    [Range(1, 256), Display(Name = "Cluster:Partitions")]
    public int Partitions { get; set; } = 12;

    /// <summary>How often each process writes its heartbeat, and the leader checks the others'.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00"), Display(Name = "Cluster:HeartbeatInterval")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A process whose last heartbeat is older than this is taken for dead: its work goes to the others.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00"), Display(Name = "Cluster:StaleNodeTimeout")]
    public TimeSpan StaleNodeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the leader checks that every assigned agent really runs where it was assigned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00"), Display(Name = "Cluster:AssignmentCheckInterval")]
    public TimeSpan AssignmentCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a dead process's work waits for a new owner: its heartbeat goes stale, then the leader (or, if the
    /// leader died, the process that takes its place at its next heartbeat) reassigns at its next check.
    /// </summary>
    public TimeSpan Handover => StaleNodeTimeout + 2 * HeartbeatInterval;

    public static ClusterOptions Configured(IConfiguration configuration) =>
        configuration.GetSection("Cluster").Get<ClusterOptions>() ?? new ClusterOptions();
}

public static class ClusterSetup
{
    /// <summary>The cluster's settings, its work partitions (a Wolverine agent family) and their owner here.</summary>
    public static void AddSreCluster(this IServiceCollection services)
    {
        services.AddSreOptions<ClusterOptions>("Cluster");
        services.AddSingleton<OwnedPartitions>();
        services.AddSingleton<IAgentFamily, WorkPartitions>();
        services.AddSingleton<ClusterView>();
        services.AddSingleton<ClusterMetrics>();
    }

    /// <summary>
    /// Wolverine's node registry on the configured timings (<see cref="ClusterOptions"/>). The projections and
    /// subscriptions are Wolverine's to distribute (<c>UseWolverineManagedEventSubscriptionDistribution</c>, set where
    /// Marten is integrated), so they and the work partitions ride on the same leader and heartbeats.
    /// </summary>
    public static void ConfigureCluster(this WolverineOptions opts, IConfiguration configuration)
    {
        var cluster = ClusterOptions.Configured(configuration);
        opts.Durability.Mode = cluster.Mode;
        opts.Durability.HealthCheckPollingTime = cluster.HeartbeatInterval;
        opts.Durability.StaleNodeTimeout = cluster.StaleNodeTimeout;
        opts.Durability.CheckAssignmentPeriod = cluster.AssignmentCheckInterval;
    }
}
