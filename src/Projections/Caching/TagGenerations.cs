using System.Collections.Concurrent;

namespace Sre.Projections.Caching;

/// <summary>
/// The generation of each tag the cache's entries depend on (a stream, a kind of stream), held for at most
/// <c>capacity</c> tags: the least recently written is forgotten first. One record per stream ever written would
/// grow with the history (100,000 incidents, 100,000 records) and never shrink.
/// </summary>
/// <remarks>
/// Why forgetting never serves the state from before a write. Generations are drawn from one counter, so a write's
/// generation is greater than every generation handed out before it. A forgotten tag reads as the floor of its
/// bucket, and the floor is raised to the tag's last generation before the tag is let go; floors only rise. So, for
/// every tag: (1) what <see cref="Of"/> answers never goes down, and (2) once <see cref="Bump"/> of a write returns
/// (after its commit, before its 2xx), <see cref="Of"/> answers at least that write's generation, held or forgotten.
/// An entry stores the generations its tags read before its load began. A write that commits after that draws its
/// generation later still, so greater than the one the entry stored for its tag; by (1) and (2), from the write's
/// 2xx on, that tag never reads as the stored value again, and the entry never hits again. (A write that committed
/// before the load began is in what the load read.) Forgetting costs only misses: the entries of a forgotten tag load again when its bucket's
/// floor rises past what they stored, which one forgotten tag in <see cref="Buckets"/> does.
/// </remarks>
public sealed class TagGenerations(int capacity)
{
    /// <summary>Forgotten tags share this many floors: the fewer share one, the fewer entries a forgetting reloads.</summary>
    public const int Buckets = 1024;

    private readonly int _capacity = Math.Max(1, capacity);
    private readonly ConcurrentDictionary<string, long> _held = new();
    private readonly long[] _floors = new long[Buckets];
    // Writers only, under the lock: the held tags from least to most recently written.
    private readonly object _writing = new();
    private readonly LinkedList<string> _order = new();
    private readonly Dictionary<string, LinkedListNode<string>> _nodes = new();
    private long _last;
    private long _forgotten;

    public int Capacity => _capacity;

    /// <summary>Tags whose generation is held now (never more than <see cref="Capacity"/>).</summary>
    public int Count => _held.Count;

    /// <summary>Tags forgotten so far to stay within <see cref="Capacity"/>.</summary>
    public long Forgotten => Interlocked.Read(ref _forgotten);

    /// <summary>The tag's generation now; lock-free, as every cached read asks it.</summary>
    public long Of(string tag) => _held.TryGetValue(tag, out var generation) ? generation : Volatile.Read(ref _floors[Bucket(tag)]);

    /// <summary>A write to these tags has committed: each gets a generation greater than any handed out before.</summary>
    public void Bump(IEnumerable<string> tags)
    {
        lock (_writing)
        {
            foreach (var tag in tags)
            {
                _held[tag] = ++_last;
                if (_nodes.TryGetValue(tag, out var node)) _order.Remove(node);
                else _nodes[tag] = node = new LinkedListNode<string>(tag);
                _order.AddLast(node);
                while (_nodes.Count > _capacity) Forget(_order.First!.Value);
            }
        }
    }

    private void Forget(string tag)
    {
        var bucket = Bucket(tag);
        // The floor first: from before the tag is gone, it reads at least its last generation.
        Volatile.Write(ref _floors[bucket], Math.Max(_floors[bucket], _held[tag]));
        _held.TryRemove(tag, out _);
        _order.Remove(_nodes[tag]);
        _nodes.Remove(tag);
        Interlocked.Increment(ref _forgotten);
    }

    private static int Bucket(string tag) => (int)((uint)StringComparer.Ordinal.GetHashCode(tag) % Buckets);
}
