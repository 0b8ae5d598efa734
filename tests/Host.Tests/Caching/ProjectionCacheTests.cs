using Sre.Projections.Caching;

namespace Sre.Host.Tests.Caching;

/// <summary>The cache component on its own: no I/O.</summary>
public class ProjectionCacheTests
{
    private static ProjectionCache Cache(int capacity = 3, bool enabled = true, int generations = 10_000) =>
        new(new CacheOptions { Capacity = capacity, Enabled = enabled, Generations = generations });

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

    [Fact]
    public void the_record_of_generations_holds_no_more_than_its_capacity_however_many_streams_are_written()
    {
        var cache = Cache(generations: 100);
        for (var i = 0; i < 100_000; i++) cache.Invalidate([$"stream:{i}", CacheTags.Incidents]);

        var stats = cache.Stats();
        Assert.Equal(100, stats.Generations);
        Assert.Equal(100_000 + 1 - 100, stats.GenerationsForgotten);
    }

    [Fact]
    public async Task a_write_to_a_stream_whose_generation_was_forgotten_still_makes_its_entries_misses()
    {
        var cache = Cache(capacity: 10, generations: 2);
        var version = 1;
        void ManyOtherStreamsAreWritten() { for (var i = 0; i < 10; i++) cache.Invalidate([$"stream:other-{i}"]); }

        // Loaded before the stream was ever written; written; forgotten.
        await Read(cache, "a", () => $"v{version}", "stream:a");
        version = 2;
        cache.Invalidate(["stream:a"]);
        ManyOtherStreamsAreWritten();
        Assert.Equal("v2", await Read(cache, "a", () => $"v{version}", "stream:a"));

        // Loaded while its generation was held; forgotten; written again.
        ManyOtherStreamsAreWritten();
        version = 3;
        cache.Invalidate(["stream:a"]);
        Assert.Equal("v3", await Read(cache, "a", () => $"v{version}", "stream:a"));

        // Loaded while forgotten; written while forgotten, without being held again long.
        ManyOtherStreamsAreWritten();
        Assert.Equal("v3", await Read(cache, "a", () => $"v{version}", "stream:a"));
        version = 4;
        cache.Invalidate(["stream:a"]);
        ManyOtherStreamsAreWritten();
        Assert.Equal("v4", await Read(cache, "a", () => $"v{version}", "stream:a"));
    }

    /// <summary>
    /// Against a brute-force record of every stream's version: random writes and reads over far more streams than
    /// the generations held; every read answers the current versions, and some are still hits.
    /// </summary>
    [Fact]
    public async Task reads_never_answer_a_state_from_before_a_write_while_generations_are_forgotten()
    {
        var cache = Cache(capacity: 64, generations: 8);
        var random = new Random(19);
        var versions = new int[300];
        var hits = 0L;
        for (var step = 0; step < 50_000; step++)
        {
            var stream = random.Next(versions.Length);
            if (random.Next(3) == 0)
            {
                versions[stream]++;
                cache.Invalidate([$"stream:{stream}"]);
                continue;
            }
            // Some reads depend on two streams, as an SLO list depends on a kind and a stream would.
            var other = random.Next(4) == 0 ? random.Next(versions.Length) : stream;
            var tags = new[] { $"stream:{stream}", $"stream:{other}" }.Distinct().ToArray();
            var before = cache.Stats().Hits;
            var answer = await Read(cache, $"{stream}+{other}", () => $"{versions[stream]}+{versions[other]}", tags);
            Assert.Equal($"{versions[stream]}+{versions[other]}", answer);
            hits += cache.Stats().Hits - before;
        }
        Assert.InRange(cache.Stats().Generations, 1, 8);
        Assert.True(hits > 1_000, $"{hits} hits");
    }
}
