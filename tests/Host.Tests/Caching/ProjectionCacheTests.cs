using Sre.Projections.Caching;

namespace Sre.Host.Tests.Caching;

/// <summary>The cache component on its own: no I/O.</summary>
public class ProjectionCacheTests
{
    private static ProjectionCache Cache(int capacity = 3, bool enabled = true) => new(new CacheOptions { Capacity = capacity, Enabled = enabled });

    private static Task<string?> Read(ProjectionCache cache, string id, Func<string> load, params string[] tags) =>
        cache.GetOrLoad(new CacheKey("test", id), tags, () => Task.FromResult<string?>(load()));

    [Fact]
    public async Task least_recently_used_entry_goes_first_when_full()
    {
        var cache = Cache(capacity: 3);
        foreach (var id in new[] { "a", "b", "c" }) await Read(cache, id, () => id);
        await Read(cache, "a", () => "reloaded");   // a is now the most recently used
        await Read(cache, "d", () => "d");          // evicts b, the least recently used

        Assert.Equal(["a", "c", "d"], cache.Keys.Select(k => k.Id).Order());
        var stats = cache.Stats();
        Assert.Equal((3, 1L, 4L, 1L), (stats.Entries, stats.Hits, stats.Misses, stats.Evictions));

        await Read(cache, "e", () => "e");          // from least to most recent: c, a, d; c goes
        Assert.Equal(["a", "d", "e"], cache.Keys.Select(k => k.Id).Order());
    }

    [Fact]
    public async Task a_write_to_a_tag_makes_its_entries_misses()
    {
        var cache = Cache();
        var version = 1;
        await Read(cache, "slo", () => $"v{version}", "stream:1");
        version = 2;
        Assert.Equal("v1", await Read(cache, "slo", () => $"v{version}", "stream:1"));

        cache.Invalidate(["stream:1"]);

        Assert.Equal("v2", await Read(cache, "slo", () => $"v{version}", "stream:1"));
        Assert.Equal("v2", await Read(cache, "other", () => $"v{version}", "stream:2"));
    }

    [Fact]
    public async Task a_read_that_raced_a_write_does_not_put_the_old_state_back()
    {
        var cache = Cache();
        // The load reads the old state, then the write commits (and invalidates) before the load stores it.
        await Read(cache, "slo", () => { cache.Invalidate(["stream:1"]); return "old"; }, "stream:1");

        Assert.Equal("new", await Read(cache, "slo", () => "new", "stream:1"));
    }

    [Fact]
    public async Task invalidate_all_drops_everything()
    {
        var cache = Cache();
        await Read(cache, "a", () => "1");
        cache.InvalidateAll();
        Assert.Equal("2", await Read(cache, "a", () => "2"));
    }

    [Fact]
    public async Task switched_off_it_always_loads()
    {
        var cache = Cache(enabled: false);
        var loads = 0;
        await Read(cache, "a", () => $"{++loads}");
        await Read(cache, "a", () => $"{++loads}");
        Assert.Equal((2, 0), (loads, cache.Stats().Entries));
    }

    [Fact]
    public async Task clock_sliding_values_live_in_their_minute()
    {
        var cache = Cache();
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 30, TimeSpan.Zero);
        async Task<string?> Status(DateTimeOffset now) =>
            await cache.GetOrLoad(new CacheKey("status", "slo", CacheTags.Minute(now)), [], () => Task.FromResult<string?>($"{now:HH:mm:ss}"));

        Assert.Equal("10:00:30", await Status(at));
        Assert.Equal("10:00:30", await Status(at.AddSeconds(20)));
        Assert.Equal("10:01:05", await Status(at.AddSeconds(35)));
    }
}
