using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using BitFaster.Caching.Lru;

namespace Sre.Projections.Caching;

/// <summary>What a cached read is: its kind, the id it is about, and the time slice it holds for (0: any time).</summary>
public readonly record struct CacheKey(string Kind, string Id, long Slice = 0);

/// <summary>The cache's counters; <c>Generations</c> is how many tags' generations it holds (at most <c>GenerationCapacity</c>).</summary>
public sealed record CacheStats(
    bool Enabled, int Capacity, int Entries, long Hits, long Misses, long Evictions, long Invalidations,
    int Generations, int GenerationCapacity, long GenerationsForgotten);

/// <summary>Cache settings; configuration section "Cache".</summary>
public sealed class CacheOptions
{
    public bool Enabled { get; set; } = true;
    [Range(1, int.MaxValue), Display(Name = "Cache:Capacity")]
    public int Capacity { get; set; } = 10_000;
    /// <summary>Tags (streams, kinds of stream) whose last write is remembered; the least recently written is forgotten first.</summary>
    [Range(1, int.MaxValue), Display(Name = "Cache:Generations")]
    public int Generations { get; set; } = 10_000;
}

/// <summary>
/// The LRU cache of read models for the hot queries: strict least-recently-used eviction (BitFaster's ClassicLru),
/// bounded by entries. Every entry depends on tags (a stream, a kind of stream); a write bumps the generation of its
/// tags, and an entry whose tags moved on since it was loaded is a miss. Generations are captured before the load,
/// so a read racing a write can never put the older state back. The generations are bounded too
/// (<see cref="TagGenerations"/>, which argues why forgetting one never answers an older state).
/// </summary>
public sealed class ProjectionCache
{
    private sealed record Entry(object Value, long Epoch, long[] Generations);

    private readonly ClassicLru<CacheKey, Entry> _lru;
    private readonly TagGenerations _generations;
    private readonly ConcurrentDictionary<(CacheKey, long, string), Lazy<Task<object?>>> _loading = new();
    private long _epoch;
    private long _hits;
    private long _misses;
    private long _invalidations;

    public ProjectionCache(CacheOptions options)
    {
        Enabled = options.Enabled;
        Capacity = options.Capacity;
        _lru = new ClassicLru<CacheKey, Entry>(Math.Max(1, options.Capacity));
        _generations = new TagGenerations(options.Generations);
    }

    public bool Enabled { get; }
    public int Capacity { get; }

    /// <summary>The keys held now, in no particular order.</summary>
    public IEnumerable<CacheKey> Keys => _lru.Keys;

    public async Task<T?> GetOrLoad<T>(CacheKey key, IReadOnlyList<string> tags, Func<Task<T?>> load) where T : class
    {
        if (!Enabled) return await load();
        var epoch = Interlocked.Read(ref _epoch);
        var generations = tags.Select(_generations.Of).ToArray();
        if (_lru.TryGet(key, out var entry) && entry.Epoch == epoch && entry.Generations.SequenceEqual(generations))
        {
            Interlocked.Increment(ref _hits);
            return (T)entry.Value;
        }
        Interlocked.Increment(ref _misses);
        // Concurrent misses of one key at one state share one load (a dashboard refresh must not start 64).
        var flight = (key, epoch, string.Join(',', generations));
        var shared = _loading.GetOrAdd(flight, unused => new Lazy<Task<object?>>(async () =>
        {
            try
            {
                var value = await load();
                if (value is not null) _lru.AddOrUpdate(key, new Entry(value, epoch, generations));
                // An entry of a time slice (a minute) is read no more once the next slice's is loaded: dropped now rather
                // than left to age out of the LRU, so that a large entry polled every minute holds one slot, not sixty.
                if (key.Slice != 0) _lru.TryRemove(key with { Slice = key.Slice - 1 });
                return value;
            }
            finally
            {
                _loading.TryRemove(flight, out _);
            }
        }));
        return (T?)await shared.Value;
    }

    /// <summary>Called once a write to these tags has committed: no later read answers what came before it.</summary>
    public void Invalidate(IEnumerable<string> tags)
    {
        var bumped = tags as IReadOnlyCollection<string> ?? tags.ToList();
        _generations.Bump(bumped);
        Interlocked.Add(ref _invalidations, bumped.Count);
    }

    /// <summary>When notifications may have been missed (a lost connection), nothing cached can be trusted.</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _epoch);
        Interlocked.Increment(ref _invalidations);
    }

    public CacheStats Stats() => new(Enabled, Capacity, _lru.Count, Interlocked.Read(ref _hits), Interlocked.Read(ref _misses),
        _lru.Metrics.HasValue ? _lru.Metrics.Value!.Evicted : 0, Interlocked.Read(ref _invalidations),
        _generations.Count, _generations.Capacity, _generations.Forgotten);
}

/// <summary>The tags writes bump and reads depend on.</summary>
public static class CacheTags
{
    public const string Incidents = "incidents";
    public const string Slos = "slos";
    public const string Releases = "releases";
    public const string Deployments = "deployments";
    public const string Toil = "toil";
    public const string Backups = "backups";
    /// <summary>The imported Prometheus data sources, which the SLO status and list name as their source.</summary>
    public const string DataSources = "datasources";

    public static string Stream(Guid id) => $"stream:{id:N}";

    /// <summary>The minute a clock-sliding value holds for: never served older than its slice.</summary>
    public static long Minute(DateTimeOffset now) => now.UtcTicks / TimeSpan.TicksPerMinute;
}
