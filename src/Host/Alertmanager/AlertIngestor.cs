using System.Threading.Channels;
using BitFaster.Caching;
using BitFaster.Caching.Lru;
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
    IOptions<AlertmanagerOptions> options,
    ILogger<AlertIngestor> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private const int MaxAttempts = 5;
    // The inline projection of the incident events, applied here to the events this writer appends itself.
    private static readonly IncidentProjection Projection = new();

    // Each writer: its queue, and its groups' current incidents as it last stored them (with every alert of those it
    // opened itself, up to HeldAlerts). Only that writer appends for its groups in this process, so what it stored is
    // what it finds next time, unless an incident command or another process appended since: then the append's version
    // check refuses the batch, and the batch's groups are read again.
    // A group that another process moved on to a new incident is seen in the group's document, read with the alerts.
    private readonly Writer[] _writers = Enumerable.Range(0, options.Value.Writers)
        .Select(_ => new Writer(
            Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }),
            new ConcurrentLru<string, Held>(options.Value.HeldGroups)))
        .ToArray();

    private sealed record Writer(Channel<Pending> Queue, ICache<string, Held> Held);

    /// <summary>A group's current incident as the writer last stored it; with every alert of it, or null.</summary>
    private sealed record Held(Incident Incident, AlertBook? Alerts);

    private sealed record Pending(AlertNotification Notification, TaskCompletionSource<IngestResult> Done);

    /// <summary>Completes once the notification's events are committed; faults with the store's exception otherwise.</summary>
    public async Task<IngestResult> Submit(AlertNotification notification, CancellationToken ct)
    {
        var pending = new Pending(notification, new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var writer = _writers[(uint)StringComparer.Ordinal.GetHashCode(notification.GroupKey) % (uint)_writers.Length];
        await writer.Queue.Writer.WriteAsync(pending, ct);
        // Once queued the outcome is awaited whatever the caller does: the commit may already be under way.
        return await pending.Done.Task;
    }

    /// <summary>
    /// Forgets the incidents the writers hold, for data deleted behind the process's back (a test's reset): a group
    /// started again gets the same incident ids, so neither the group nor, by chance, the version would tell.
    /// </summary>
    public void Forget()
    {
        foreach (var writer in _writers) writer.Held.Clear();
    }

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Task.WhenAll(_writers.Select(w => Task.Run(() => Write(w, stop), stop)));

    private async Task Write(Writer writer, CancellationToken stop)
    {
        var (queue, held) = writer;
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stop))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending)) batch.Add(pending);
                await Commit(batch, held, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            queue.Writer.TryComplete();
            while (queue.Reader.TryRead(out var pending)) pending.Done.TrySetCanceled(stop);
        }
    }

    private async Task Commit(List<Pending> batch, ICache<string, Held> held, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var results = await WriteOnce(batch, held, stop);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
                return;
            }
            catch (Exception e)
            {
                // Whatever failed, the batch's groups are read again: another writer moved them on, or the commit's
                // outcome is unknown.
                foreach (var pending in batch) held.TryRemove(pending.Notification.GroupKey);
                if (TransientFaults.IsConcurrencyConflict(e) && attempt < MaxAttempts)
                {
                    logger.LogDebug("Batch of {Count} notifications met a concurrent writer; attempt {Attempt}", batch.Count, attempt);
                    continue;
                }
                foreach (var pending in batch) pending.Done.TrySetException(e);
                return;
            }
        }
    }

    private async Task<IngestResult[]> WriteOnce(List<Pending> batch, ICache<string, Held> held, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        // One connection for the batch's reads and its commit, not one taken from the pool (and reset) for each.
        await session.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        // The groups' current incidents (each append then checks its incident's version) and what the batch's
        // decisions need of their alerts.
        var (loaded, books, whole, current) = await Read(session, batch, held, ct);

        var pendingEvents = new Dictionary<Guid, (bool Opens, List<object> Events)>();
        var results = new IngestResult[batch.Count];
        var rules = options.Value.Ingest;
        for (var i = 0; i < batch.Count; i++)
        {
            var n = batch[i].Notification;
            var incident = current.GetValueOrDefault(n.GroupKey);
            var book = incident is null ? AlertBook.Empty : books.GetValueOrDefault(incident.Id, AlertBook.Empty);
            var nextId = IncidentIds.For(n.GroupKey, (incident?.SequenceIn(n.GroupKey) ?? 0) + 1);
            var changes = AlertIngestion.Decide(incident, book, n, rules, now, nextId);
            foreach (var change in changes)
            {
                if (!pendingEvents.TryGetValue(change.IncidentId, out var entry))
                    pendingEvents[change.IncidentId] = entry = (change.Opens, new List<object>());
                entry.Events.AddRange(change.Events);
                var before = change.Opens ? null : incident;
                var after = IncidentEvolution.Fold(before, change.Events);
                books[after.Id] = (change.Opens ? AlertBook.Empty : book).With(change.Events);
                // An incident opened here has no alerts but those of its events: its book is whole.
                if (change.Opens) whole.Add(after.Id);
                if (change.Opens || after.Id == incident?.Id) current[n.GroupKey] = incident = after;
            }
            results[i] = new IngestResult(changes.Sum(c => c.Events.Count), changes.Select(c => c.IncidentId).ToList());
        }

        if (pendingEvents.Count == 0)
        {
            Hold(held, current, loaded, books, whole);
            return results;
        }
        // Every stream of the batch in one statement, each checked against the version its decisions were made on; then
        // what Marten does around its own appends: the inline projection and the cache's invalidation.
        // A batch that opens incidents holds their groups' locks to its commit (AlertGroupLocks).
        if (pendingEvents.Values.Any(p => p.Opens))
            await AlertGroupLocks.Take(session, batch.Select(p => p.Notification.GroupKey)
                .Where(key => current.GetValueOrDefault(key) is { } i && pendingEvents.TryGetValue(i.Id, out var p) && p.Opens), ct);
        var appended = ManyStreams.Queue(session, typeof(Incident),
            pendingEvents.Select(p => new ManyStreams.Append(p.Key, p.Value.Opens ? 0 : loaded[p.Key].Version, p.Value.Events)).ToList());
        var written = await Projection.ApplyAsync(session, appended, loaded, ct);
        CacheInvalidationListener.QueueNotification(session, appended);
        await session.SaveChangesAsync(ct);
        CacheInvalidationListener.Invalidate(cache, appended);
        foreach (var incident in written) loaded[incident.Id] = incident;
        Hold(held, current, loaded, books, whole);
        return results;
    }

    /// <summary>
    /// Holds the groups' incidents as now stored, once committed; with their alerts where the book is whole and not
    /// over <see cref="AlertmanagerOptions.HeldAlerts"/>.
    /// </summary>
    private void Hold(ICache<string, Held> held, Dictionary<string, Incident?> current, Dictionary<Guid, Incident> stored,
        Dictionary<Guid, AlertBook> books, HashSet<Guid> whole)
    {
        foreach (var (key, incident) in current)
        {
            if (incident is null || !stored.TryGetValue(incident.Id, out var now))
            {
                held.TryRemove(key);
                continue;
            }
            var alerts = whole.Contains(now.Id) ? books.GetValueOrDefault(now.Id, AlertBook.Empty) : null;
            held.AddOrUpdate(key, new Held(now, alerts?.Known.Count <= options.Value.HeldAlerts ? alerts : null));
        }
    }

    /// <summary>
    /// The batch's groups, their current incidents and what the decisions need of their alerts. A group whose open
    /// incident is held with every alert of it needs nothing read: its group cannot have moved on to another incident
    /// without that incident's stream moving too (resolved first), which the append's version check refuses. For the
    /// others: the occurrences the notifications name, by id; and, for the incidents some notification resolves alerts
    /// of, every firing one (whether all are resolved then). An incident of thousands of alerts is not read whole. One
    /// round trip when this writer holds every such group's incident and each group still names it; a second one for
    /// the incidents of the others. Answers which incidents' books are whole.
    /// </summary>
    private static async Task<(Dictionary<Guid, Incident> Incidents, Dictionary<Guid, AlertBook> Books, HashSet<Guid> Whole,
        Dictionary<string, Incident?> Current)> Read(IDocumentSession session, List<Pending> batch, ICache<string, Held> held, CancellationToken ct)
    {
        var current = new Dictionary<string, Incident?>();
        var incidents = new Dictionary<Guid, Incident>();
        var books = new Dictionary<Guid, AlertBook>();
        var whole = new HashSet<Guid>();
        var holding = new Dictionary<string, Incident>();
        var unread = new List<string>();
        foreach (var key in batch.Select(p => p.Notification.GroupKey).Distinct())
        {
            if (!held.TryGet(key, out var h)) unread.Add(key);
            else if (h is { Alerts: { } alerts, Incident.IsOpen: true })
            {
                current[key] = incidents[h.Incident.Id] = h.Incident;
                books[h.Incident.Id] = alerts;
                whole.Add(h.Incident.Id);
            }
            else
            {
                holding[key] = h.Incident;
                unread.Add(key);
            }
        }
        if (unread.Count == 0) return (incidents, books, whole, current);

        // The groups as stored come with the held incidents' alerts: a group that another process moved on to a new
        // incident no longer names the one held (that incident's own stream may not have moved).
        var first = await Lookup(session, batch, holding.ToDictionary(h => h.Key, h => h.Value.Id), unread.ToArray(), [], ct);
        foreach (var key in unread) current[key] = null;
        var known = new List<IncidentAlert>(first.Alerts);
        var others = new Dictionary<string, Guid>();
        foreach (var group in first.Groups)
        {
            if (holding.TryGetValue(group.Id, out var incident) && incident.Id == group.CurrentIncidentId)
                current[group.Id] = incidents[incident.Id] = incident;
            else
            {
                held.TryRemove(group.Id);
                others[group.Id] = group.CurrentIncidentId;
            }
        }

        if (others.Count > 0)
        {
            var second = await Lookup(session, batch, others, [], others.Values.Distinct().ToArray(), ct);
            foreach (var incident in second.Incidents) incidents[incident.Id] = incident;
            foreach (var (key, id) in others) current[key] = incidents.GetValueOrDefault(id);
            known.AddRange(second.Alerts);
        }
        foreach (var alerts in known.Where(a => incidents.ContainsKey(a.IncidentId)).GroupBy(a => a.IncidentId))
            books[alerts.Key] = AlertBook.Of(alerts);
        return (incidents, books, whole, current);
    }

    /// <summary>One batched query: the groups of <paramref name="groupKeys"/>, the incidents of <paramref name="incidentIds"/>,
    /// and the alerts the batch's notifications need of the incidents <paramref name="incidentOf"/> gives their groups.</summary>
    private static async Task<(IReadOnlyList<AlertGroup> Groups, IReadOnlyList<Incident> Incidents, IReadOnlyList<IncidentAlert> Alerts)> Lookup(
        IDocumentSession session, List<Pending> batch, Dictionary<string, Guid> incidentOf, string[] groupKeys, Guid[] incidentIds,
        CancellationToken ct)
    {
        var named = new HashSet<string>();
        var resolving = new HashSet<Guid>();
        foreach (var n in batch.Select(p => p.Notification))
        {
            if (!incidentOf.TryGetValue(n.GroupKey, out var incident)) continue;
            foreach (var alert in n.Alerts) named.Add(IncidentAlerts.IdOf(incident, alert.Fingerprint, alert.StartsAt));
            if (n.Alerts.Any(a => !a.IsFiring)) resolving.Add(incident);
        }
        if (groupKeys.Length + incidentIds.Length + named.Count + resolving.Count == 0) return ([], [], []);

        var query = session.CreateBatchQuery();
        var groups = groupKeys.Length == 0 ? null : query.LoadMany<AlertGroup>().ById(groupKeys);
        var incidents = incidentIds.Length == 0 ? null : query.LoadMany<Incident>().ById(incidentIds);
        var alerts = named.Count == 0 ? null : query.LoadMany<IncidentAlert>().ById(named.ToArray());
        var firing = resolving.Count == 0 ? null : query.Query<IncidentAlert>()
            .Where(a => a.IncidentId.IsOneOf(resolving.ToArray()) && a.Status == AlertStatus.Firing).ToList();
        await query.Execute(ct);

        return (groups is null ? [] : await groups, incidents is null ? [] : await incidents,
            [.. alerts is null ? [] : await alerts, .. firing is null ? [] : await firing]);
    }
}
