using Sre.Host.Cluster;

namespace Sre.Host.Tests.Cluster;

/// <summary>The work partitions' key space: pure, no I/O.</summary>
public sealed class WorkPartitionsTests
{
    [Fact]
    public void a_keys_partition_is_the_same_in_every_process_and_counts_every_byte()
    {
        var key = Guid.Parse("0196f3a2-7c41-7d3e-9b2a-5f1e8c4d2a10");
        Assert.Equal(WorkPartitions.PartitionOf(key, 12), WorkPartitions.PartitionOf(Guid.Parse(key.ToString()), 12));
        Assert.Equal(0, WorkPartitions.PartitionOf(key, 1));
        // Keys that differ only in their last byte, as version 7 ids made in one millisecond nearly do, spread.
        var lastByte = Enumerable.Range(0, 256).Select(b => WorkPartitions.PartitionOf(Guid.Parse($"0196f3a2-7c41-7d3e-9b2a-5f1e8c4d2a{b:x2}"), 12));
        Assert.Equal(12, lastByte.Distinct().Count());
    }

    [Fact]
    public void random_and_time_ordered_keys_spread_evenly_over_the_partitions()
    {
        foreach (var make in new Func<Guid>[] { Guid.NewGuid, Guid.CreateVersion7 })
        {
            var counts = new int[12];
            for (var i = 0; i < 12_000; i++) counts[WorkPartitions.PartitionOf(make(), 12)]++;
            // 1,000 expected in each; a share off by more than 20% would leave one process far more work than another.
            Assert.All(counts, c => Assert.InRange(c, 800, 1200));
        }
    }

    [Fact]
    public void an_agent_uri_names_its_partition_and_other_agents_name_none()
    {
        Assert.Equal(7, WorkPartitions.PartitionOf(WorkPartitions.AgentUri(7)));
        Assert.Null(WorkPartitions.PartitionOf(new Uri("event-subscriptions://marten/main/127!0!0!1.sre/integration-events/all")));
    }

    [Fact]
    public void a_subscription_agent_names_its_shard_path()
    {
        Assert.Equal("integration-events/all",
            ClusterView.ShardPath(new Uri("event-subscriptions://marten/main/127!0!0!1.sre/integration-events/all")));
    }
}
