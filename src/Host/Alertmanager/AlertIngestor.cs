using System.Threading.Channels;
using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Alertmanager;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Sre.Projections;
using Sre.Projections.Caching;
using Sre.Projections.Incidents;

namespace Sre.Host.Alertmanager;

public sealed record IngestResult(int EventsAppended, IReadOnlyList<Guid> Incidents);

/// <summary>How many writers the webhook's group commit runs in one process; bound from section "Alertmanager".</summary>
public sealed record IngestWriterOptions
{
    /// <summary>
    /// Writers, each with its own queue; a group's notifications always go to the same one. With two, one batch is
    /// decided and serialised while the other waits on PostgreSQL (bench/RESULTS.md).
    /// </summary>
    public int Writers { get; init; } = 2;
}

/// <summary>
/// Group commit for the webhook. Notifications that arrive together are decided in arrival order and
/// committed in one transaction; each request is answered only after that commit. A group's notifications
/// always go to the same writer, so a burst for one group never races itself, and many alerts share one disk
/// sync; writers own disjoint groups, so they do not meet on an incident. A conflict with another writer (an
/// incident command, another process) retries the whole batch.
/// </summary>
public sealed class AlertIngestor(
    IDocumentStore store,
    ProjectionCache cache,
    TimeProvider clock,
    IOptions<IngestOptions> options,
    IOptions<IngestWriterOptions> writers,
    ILogger<AlertIngestor> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private const int MaxAttempts = 5;
    // The inline projection of the incident events, applied here to the events this writer appends itself.
    private static readonly IncidentProjection Projection = new();

    private readonly Channel<Pending>[] _queues = Enumerable.Range(0, Math.Max(1, writers.Value.Writers))
        .Select(_ => Channel.CreateBounded<Pending>(
            new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))
        .ToArray();

    private sealed record Pending(AlertNotification Notification, TaskCompletionSource<IngestResult> Done);

    /// <summary>Completes once the notification's events are committed; faults with the store's exception otherwise.</summary>
    public async Task<IngestResult> Submit(AlertNotification notification, CancellationToken ct)
    {
        var pending = new Pending(notification, new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var queue = _queues[(uint)StringComparer.Ordinal.GetHashCode(notification.GroupKey) % (uint)_queues.Length];
        await queue.Writer.WriteAsync(pending, ct);
        // Once queued the outcome is awaited whatever the caller does: the commit may already be under way.
        return await pending.Done.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stop) => Task.WhenAll(_queues.Select(q => Task.Run(() => Write(q, stop), stop)));

    private async Task Write(Channel<Pending> queue, CancellationToken stop)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stop))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending)) batch.Add(pending);
                await Commit(batch, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            queue.Writer.TryComplete();
            while (queue.Reader.TryRead(out var pending)) pending.Done.TrySetCanceled(stop);
        }
    }

    private async Task Commit(List<Pending> batch, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var results = await WriteOnce(batch, stop);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
                return;
            }
            catch (Exception e) when (TransientFaults.IsConcurrencyConflict(e) && attempt < MaxAttempts)
            {
                logger.LogDebug("Batch of {Count} notifications met a concurrent writer; attempt {Attempt}", batch.Count, attempt);
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.Done.TrySetException(e);
                return;
            }
        }
    }

    private async Task<IngestResult[]> WriteOnce(List<Pending> batch, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = clock.GetUtcNow();
        var groupKeys = batch.Select(p => p.Notification.GroupKey).Distinct().ToArray();
        var groups = await session.LoadManyAsync<AlertGroup>(ct, groupKeys);

        // One round trip for every incident the batch may append to (each append then checks that incident's
        // version) and the alerts its decisions need of them.
        var current = new Dictionary<string, Incident?>();
        var (loaded, books) = await IncidentsAndAlerts(session, batch, groups, ct);
        foreach (var group in groups) current[group.Id] = loaded.GetValueOrDefault(group.CurrentIncidentId);

        var pendingEvents = new Dictionary<Guid, (bool Opens, List<object> Events)>();
        var results = new IngestResult[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var n = batch[i].Notification;
            var incident = current.GetValueOrDefault(n.GroupKey);
            var book = incident is null ? AlertBook.Empty : books.GetValueOrDefault(incident.Id, AlertBook.Empty);
            var nextId = IncidentIds.For(n.GroupKey, (incident?.Sequence ?? 0) + 1);
            var changes = AlertIngestion.Decide(incident, book, n, options.Value, now, nextId);
            foreach (var change in changes)
            {
                if (!pendingEvents.TryGetValue(change.IncidentId, out var entry))
                    pendingEvents[change.IncidentId] = entry = (change.Opens, new List<object>());
                entry.Events.AddRange(change.Events);
                var before = change.Opens ? null : incident;
                var after = IncidentEvolution.Fold(before, change.Events);
                books[after.Id] = (change.Opens ? AlertBook.Empty : book).With(change.Events);
                if (change.Opens || after.Id == incident?.Id) current[n.GroupKey] = incident = after;
            }
            results[i] = new IngestResult(changes.Sum(c => c.Events.Count), changes.Select(c => c.IncidentId).ToList());
        }

        if (pendingEvents.Count == 0) return results;
        // Every stream of the batch in one statement, each checked against the version its decisions were made on; then
        // what Marten does around its own appends: the inline projection and the cache's invalidation.
        var appended = ManyStreams.Queue(session, typeof(Incident),
            pendingEvents.Select(p => new ManyStreams.Append(p.Key, p.Value.Opens ? 0 : loaded[p.Key].Version, p.Value.Events)).ToList(), now);
        await Projection.ApplyAsync(session, appended, loaded, ct);
        CacheInvalidationListener.QueueNotification(session, appended);
        await session.SaveChangesAsync(ct);
        CacheInvalidationListener.Invalidate(cache, appended);
        return results;
    }

    /// <summary>
    /// The groups' current incidents and what the batch's decisions need of their alerts, in one batched query: the
    /// occurrences its notifications name, by id; and, for the incidents some notification resolves alerts of, every
    /// firing one (whether all are resolved then). An incident of thousands of alerts is not read whole.
    /// </summary>
    private static async Task<(Dictionary<Guid, Incident> Incidents, Dictionary<Guid, AlertBook> Books)> IncidentsAndAlerts(
        IDocumentSession session, List<Pending> batch, IReadOnlyList<AlertGroup> groups, CancellationToken ct)
    {
        if (groups.Count == 0) return ([], []);
        var incidentOf = groups.ToDictionary(g => g.Id, g => g.CurrentIncidentId);
        var named = new HashSet<string>();
        var resolving = new HashSet<Guid>();
        foreach (var n in batch.Select(p => p.Notification))
        {
            if (!incidentOf.TryGetValue(n.GroupKey, out var incident)) continue;
            foreach (var alert in n.Alerts) named.Add(IncidentAlerts.IdOf(incident, alert.Fingerprint, alert.StartsAt));
            if (n.Alerts.Any(a => !a.IsFiring)) resolving.Add(incident);
        }

        var query = session.CreateBatchQuery();
        var incidents = query.LoadMany<Incident>().ById(incidentOf.Values.Distinct().ToArray());
        var alerts = named.Count == 0 ? null : query.LoadMany<IncidentAlert>().ById(named.ToArray());
        var firing = resolving.Count == 0 ? null : query.Query<IncidentAlert>()
            .Where(a => a.IncidentId.IsOneOf(resolving.ToArray()) && a.Status == AlertStatus.Firing).ToList();
        await query.Execute(ct);

        var known = (alerts is null ? [] : await alerts).Concat(firing is null ? [] : await firing);
        return ((await incidents).ToDictionary(i => i.Id), known.GroupBy(a => a.IncidentId).ToDictionary(g => g.Key, AlertBook.Of));
    }
}
