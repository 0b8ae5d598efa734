using JasperFx.Events;
using Marten;
using Weasel.Postgresql.Functions;

namespace Sre.Projections;

/// <summary>
/// Appends the events of many streams in one statement, as Marten's quick append would stream by stream: the webhook's
/// group commit writes hundreds of streams a transaction, and Marten's <c>mt_quick_append_events</c> takes one call per
/// stream and one INSERT per event; its public API for the batch stored 77.5% of the 1-alert notifications a second
/// that this does (bench/RESULTS.md, 2026-11-30; docs/design.md). The same rows are written as by Marten's quick append
/// in this store's mode (mt_streams with the server's time; mt_events with the sequence's seq_id and the time of
/// Marten's clock, which that mode sends from the client), so Marten reads, projects and subscribes to them as to its
/// own. The tests ManyStreamsTests, ManyStreamsReadBackTests and IncidentFoldPropertyTests fail when Marten's tables,
/// its own append or its fold of the incident move away from this. What Marten does around its append is the caller's:
/// the inline projections of these events and the listeners' work.
/// <para>
/// Each stream's version before the append is the expected one. The function moves every stream's version first (rows it
/// then holds until the commit) and refuses the whole call, before any event takes a sequence number, when another writer
/// got there first: SQLSTATE 40001, serialization_failure, which a retry of the decision cures.
/// </para>
/// </summary>
public static class ManyStreams
{
    /// <summary>The events of one stream; <see cref="VersionBefore"/> 0 starts the stream.</summary>
    public sealed record Append(Guid StreamId, long VersionBefore, IReadOnlyList<object> Events);

    public const string FunctionName = "sre_append_events";

    public static Function Function(string schema) => Weasel.Postgresql.Functions.Function.ForSql($$"""
        CREATE OR REPLACE FUNCTION {{schema}}.{{FunctionName}}(
          streams uuid[], versions_before bigint[], versions_after bigint[], stream_type varchar,
          event_ids uuid[], event_streams uuid[], event_versions bigint[], event_types varchar[], dotnet_types varchar[], bodies text[],
          event_timestamp timestamptz)
        RETURNS void
        LANGUAGE plpgsql
        AS $function$
        DECLARE
          started int;
          moved int;
        BEGIN
          INSERT INTO {{schema}}.mt_streams (id, type, version, timestamp, tenant_id)
            SELECT s.id, stream_type, s.after, now(), '*DEFAULT*'
            FROM unnest(streams, versions_before, versions_after) AS s(id, before, after)
            WHERE s.before = 0
            ON CONFLICT (id) DO NOTHING;
          GET DIAGNOSTICS started = ROW_COUNT;
          UPDATE {{schema}}.mt_streams AS t SET version = s.after, timestamp = now()
            FROM unnest(streams, versions_before, versions_after) AS s(id, before, after)
            WHERE s.before > 0 AND t.id = s.id AND t.version = s.before AND t.is_archived IS NOT TRUE;
          GET DIAGNOSTICS moved = ROW_COUNT;
          IF started + moved <> cardinality(streams) THEN
            RAISE EXCEPTION 'Another writer appended to % of % streams first', cardinality(streams) - started - moved, cardinality(streams)
              USING ERRCODE = 'serialization_failure';
          END IF;
          INSERT INTO {{schema}}.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
            SELECT nextval('{{schema}}.mt_events_sequence'), e.id, e.stream_id, e.version, e.body::jsonb, e.type, '*DEFAULT*', event_timestamp, e.dotnet_type, false
            FROM unnest(event_ids, event_streams, event_versions, event_types, dotnet_types, bodies) AS e(id, stream_id, version, type, dotnet_type, body);
        END;
        $function$;
        """);

    /// <summary>
    /// Queues the appends on the session (one statement, run by its next SaveChanges) and answers their events as Marten
    /// would hand them to an inline projection: stream, version, type names, id and timestamp filled in, as stored.
    /// </summary>
    public static IReadOnlyList<IEvent> Queue(IDocumentSession session, Type aggregateType, IReadOnlyList<Append> appends)
    {
        if (appends.Count == 0) return [];
        var graph = ((DocumentStore)session.DocumentStore).Events;
        // The time Marten's own append would give the events (its clock, not the service's), to the microsecond that
        // PostgreSQL keeps: the events handed back are the ones stored.
        var now = graph.TimeProvider.GetUtcNow();
        now = now.AddTicks(-(now.UtcTicks % 10));
        var events = new List<IEvent>();
        foreach (var append in appends)
        {
            var version = append.VersionBefore;
            foreach (var data in append.Events)
            {
                var e = graph.BuildEvent(data);
                e.Id = Guid.CreateVersion7(now);
                e.StreamId = append.StreamId;
                e.Version = ++version;
                e.Timestamp = now;
                e.TenantId = JasperFx.StorageConstants.DefaultTenantId;
                events.Add(e);
            }
        }

        var serializer = session.DocumentStore.Options.Serializer();
        session.QueueSqlCommand(
            $"select {graph.DatabaseSchemaName}.{FunctionName}(?::uuid[], ?::bigint[], ?::bigint[], ?::varchar, ?::uuid[], ?::uuid[], ?::bigint[], ?::varchar[], ?::varchar[], ?::text[], ?::timestamptz)",
            appends.Select(a => a.StreamId).ToArray(),
            appends.Select(a => a.VersionBefore).ToArray(),
            appends.Select(a => a.VersionBefore + a.Events.Count).ToArray(),
            graph.AggregateAliasFor(aggregateType),
            events.Select(e => e.Id).ToArray(),
            events.Select(e => e.StreamId).ToArray(),
            events.Select(e => e.Version).ToArray(),
            events.Select(e => e.EventTypeName).ToArray(),
            events.Select(e => e.DotNetTypeName).ToArray(),
            events.Select(e => serializer.ToJson(e.Data)).ToArray(),
            now);
        return events;
    }
}
