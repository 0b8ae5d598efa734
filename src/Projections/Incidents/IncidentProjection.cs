using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Incidents;

namespace Sre.Projections.Incidents;

/// <summary>
/// The <see cref="Incident"/> documents, their <see cref="IncidentAlert"/>s and the <see cref="AlertGroup"/>s, from one
/// pass over the incident events, kept in the events' transaction. Marten hands it a transaction's events (inline) or
/// a page of them (rebuild); the webhook, which appends its own events (<see cref="ManyStreams"/>), hands it those. The
/// incidents and occurrences they touch are loaded in one round trip, evolved in memory with the domain's pure folds
/// (<see cref="IncidentEvolution"/>, <see cref="IncidentAlerts"/>) and written back in one statement per document type
/// (<see cref="ManyDocuments"/>). A rebuild reads and deserialises each incident event once for both read models
/// (bench/RESULTS.md). Every change to either is an event on the incident's stream, so the stream's expected version
/// keeps two writers from evolving the same incident at once.
/// </summary>
public sealed class IncidentProjection : ProjectionBase, IProjection
{
    public IncidentProjection()
    {
        Name = nameof(Incident);
        foreach (var type in typeof(IIncidentEvent).Assembly.GetTypes().Where(t => t.IsClass && t.IsAssignableTo(typeof(IIncidentEvent))))
            IncludeType(type);
        Options.DeleteViewTypeOnTeardown<Incident>();
        Options.DeleteViewTypeOnTeardown<IncidentAlert>();
        Options.DeleteViewTypeOnTeardown<AlertGroup>();
    }

    public Task ApplyAsync(IDocumentOperations ops, IReadOnlyList<IEvent> all, CancellationToken cancellation) =>
        ApplyAsync(ops, all, System.Collections.Frozen.FrozenDictionary<Guid, Incident>.Empty, cancellation);

    /// <summary>
    /// As Marten applies it, with the incidents the caller already holds as they are stored (the webhook decided the
    /// events on them): those are not read again. Answers the incident documents it queued, as they will be stored.
    /// </summary>
    public async Task<IReadOnlyList<Incident>> ApplyAsync(IDocumentOperations ops, IReadOnlyList<IEvent> all,
        IReadOnlyDictionary<Guid, Incident> stored, CancellationToken cancellation)
    {
        // Inline, Marten hands over every event of the transaction, whatever the types included.
        var events = all.Where(e => e.Data is IIncidentEvent).ToList();
        if (events.Count == 0) return [];
        var streams = events.Select(e => e.StreamId).Distinct().ToList();
        // Each event with the occurrence it concerns (null for the incident's other events), worked out once.
        var occurrences = events.Select(e => (Event: e, AlertId: IncidentAlerts.IdOf(e.StreamId, e.Data))).ToList();
        // A stream whose first event here opens it has no documents yet, neither the incident nor its alerts; nor has
        // the occurrence of a first report (the webhook decided it from the documents at the version it appended to).
        var opened = events.Where(e => e.Data is IncidentOpened).Select(e => e.StreamId).ToHashSet();
        var touched = occurrences.Select(o => o.AlertId).OfType<string>().Distinct().ToArray();
        var reported = occurrences
            .Where(o => !opened.Contains(o.Event.StreamId) && o.Event.Data is not (AlertFired { FirstReport: true } or AlertResolved { FirstReport: true }))
            .Select(o => o.AlertId).OfType<string>().Distinct().ToArray();

        var groupKeys = events.Select(e => e.Data switch
            {
                IncidentOpened o => o.GroupKey,
                AlertGroupAttached a => a.GroupKey,
                _ => null,
            })
            .OfType<string>().Distinct().ToArray();

        // The incidents the caller holds are taken as they are; the others of streams not opened here are loaded.
        var incidents = new Dictionary<Guid, Incident>();
        var existing = new List<Guid>();
        foreach (var id in streams.Where(id => !opened.Contains(id)))
            if (stored.TryGetValue(id, out var held)) incidents[id] = held;
            else existing.Add(id);
        var alerts = new Dictionary<string, IncidentAlert>();
        var loadedAlerts = new HashSet<string>();
        var groups = new Dictionary<string, AlertGroup>();
        if (existing.Count + reported.Length + groupKeys.Length > 0)
        {
            var query = ops.CreateBatchQuery();
            var loadIncidents = existing.Count == 0 ? null : query.LoadMany<Incident>().ById(existing.ToArray());
            var loadAlerts = reported.Length == 0 ? null : query.LoadMany<IncidentAlert>().ById(reported);
            var loadGroups = groupKeys.Length == 0 ? null : query.LoadMany<AlertGroup>().ById(groupKeys);
            await query.Execute(cancellation);
            foreach (var incident in loadIncidents is null ? [] : await loadIncidents) incidents[incident.Id] = incident;
            foreach (var alert in loadAlerts is null ? [] : await loadAlerts)
            {
                alerts[alert.Id] = alert;
                loadedAlerts.Add(alert.Id);
            }
            foreach (var group in loadGroups is null ? [] : await loadGroups) groups[group.Id] = group;
        }

        foreach (var (e, alertId) in occurrences)
        {
            var before = incidents.GetValueOrDefault(e.StreamId);
            // The document's version is its stream's: one more with each event.
            incidents[e.StreamId] = IncidentEvolution.Evolve(before, e.Data) with { Version = (before?.Version ?? 0) + 1 };
            if (alertId is not null && IncidentAlerts.Evolve(alerts.GetValueOrDefault(alertId), e.StreamId, e.Data) is { } alert)
                alerts[alertId] = alert;
            // A group's new alerts go to its latest incident.
            if (e.Data is IncidentOpened opening && (groups.GetValueOrDefault(opening.GroupKey)?.Sequence ?? 0) <= opening.Sequence)
                groups[opening.GroupKey] = new AlertGroup(opening.GroupKey, opening.IncidentId, opening.Sequence);
            // An attached group's alerts go to the incident it was attached to, until the group opens a new one.
            if (e.Data is AlertGroupAttached attached && (groups.GetValueOrDefault(attached.GroupKey)?.Sequence ?? 0) <= attached.Sequence)
                groups[attached.GroupKey] = new AlertGroup(attached.GroupKey, e.StreamId, attached.Sequence);
        }

        var written = streams.Select(id => incidents[id]).ToList();
        ManyDocuments.Upsert(ops, written, i => i.Id,
            new ManyDocuments.Column("service", "varchar", written.Select(i => i.Service).ToArray()),
            new ManyDocuments.Column("status", "varchar", written.Select(i => i.Status.ToString()).ToArray()),
            new ManyDocuments.Column("opened_at", "timestamptz", written.Select(i => i.Opened.At.ToUniversalTime()).ToArray()));
        // An occurrence not loaded is not stored: looked up and not found, or new (a first report, or in a stream opened
        // here). Those are inserted, the others replaced.
        var changed = touched.Where(alerts.ContainsKey).Select(id => alerts[id]).ToList();
        var added = changed.Where(a => !loadedAlerts.Contains(a.Id)).ToList();
        var replaced = changed.Where(a => loadedAlerts.Contains(a.Id)).ToList();
        ManyDocuments.Insert(ops, added, a => a.Id, IncidentIds(added));
        ManyDocuments.Upsert(ops, replaced, a => a.Id, IncidentIds(replaced));
        ManyDocuments.Upsert(ops, groupKeys.Select(key => groups[key]).ToList(), g => g.Id);
        return written;
    }

    private static ManyDocuments.Column IncidentIds(List<IncidentAlert> alerts) =>
        new("incident_id", "uuid", alerts.Select(a => a.IncidentId).ToArray());
}
