using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Incidents;

namespace Sre.Projections.Incidents;

/// <summary>
/// One document per alert occurrence of an incident (<see cref="IncidentAlerts"/>), kept in the events' transaction.
/// Marten hands it a transaction's events (inline) or a page of them (rebuild): the occurrences they touch are
/// loaded in one query, evolved in memory and written back in one statement (<see cref="ManyDocuments"/>), not one upsert per alert (a rebuild
/// writes 600,000 of them in bench/rebuild). Every change to an occurrence is an event on its incident's stream, so
/// the stream's expected version keeps two writers from evolving the same occurrence at once.
/// </summary>
public sealed class IncidentAlertProjection : ProjectionBase, IProjection
{
    public IncidentAlertProjection()
    {
        Name = nameof(IncidentAlert);
        IncludeType<AlertFired>();
        IncludeType<AlertResolved>();
        IncludeType<AlertTriaged>();
        Options.DeleteViewTypeOnTeardown<IncidentAlert>();
    }

    public async Task ApplyAsync(IDocumentOperations ops, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var touched = events.Select(e => IncidentAlerts.IdOf(e.StreamId, e.Data)).OfType<string>().Distinct().ToArray();
        if (touched.Length == 0) return;

        var alerts = (await ops.LoadManyAsync<IncidentAlert>(cancellation, touched)).ToDictionary(a => a.Id);
        foreach (var e in events)
            if (IncidentAlerts.IdOf(e.StreamId, e.Data) is { } id && IncidentAlerts.Evolve(alerts.GetValueOrDefault(id), e.StreamId, e.Data) is { } alert)
                alerts[id] = alert;

        var changed = touched.Where(alerts.ContainsKey).Select(id => alerts[id]).ToList();
        ManyDocuments.Upsert(ops, changed, a => a.Id, new ManyDocuments.Column("incident_id", "uuid", changed.Select(a => a.IncidentId).ToArray()));
    }
}
