using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Incidents;

namespace Sre.Projections.Incidents;

/// <summary>
/// One document per alert occurrence of an incident (<see cref="IncidentAlerts"/>), kept in the events' transaction.
/// Marten hands it a transaction's events (inline) or a page of them (rebuild): the occurrences they touch are
/// loaded in one query, evolved in memory and written back in one statement, not one upsert per alert (a rebuild
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
        if (changed.Count == 0) return;
        var serializer = ops.DocumentStore.Options.Serializer();
        ops.QueueSqlCommand(StoreManySql(ops.DocumentStore.Options.DatabaseSchemaName), typeof(IncidentAlert).FullName!,
            changed.Select(a => a.Id).ToArray(), changed.Select(a => serializer.ToJson(a)).ToArray(), changed.Select(a => a.IncidentId).ToArray());
    }

    /// <summary>Parameters: the .NET type, then arrays: ids, documents, incident ids (the duplicated column).</summary>
    private static string StoreManySql(string schema) => $"""
        insert into {schema}.mt_doc_incidentalert as a (id, data, mt_dotnet_type, incident_id)
        select d.id, d.data::jsonb, ?, d.incident_id
        from unnest(?::varchar[], ?::text[], ?::uuid[]) as d(id, data, incident_id)
        on conflict (id) do update set
          data = excluded.data, incident_id = excluded.incident_id, mt_dotnet_type = excluded.mt_dotnet_type,
          mt_last_modified = transaction_timestamp(), mt_version = a.mt_version + 1
        """;
}
