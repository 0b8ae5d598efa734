using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Sre.Domain.Alertmanager;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Projections;
using Sre.Projections.Incidents;
using Sre.Projections.Slos;

namespace Sre.Bench;

/// <summary>
/// Rebuilding every projection from 1,000,000 events, against Marten's bulk append (COPY) of the same events in the
/// same run. The events are the service's own, shaped as it writes them: 6,000 incidents of 100 alerts each
/// (opened, fired, acknowledged, resolved: 618,000 events) and 200 SLOs defined and observed 1,909 times a minute apart
/// (382,000 events).
/// </summary>
public static class Rebuild
{
    private const int Incidents = 6_000, AlertsEach = 100, Slos = 200, SlicesEach = 1_909;
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> Run(string connectionString, string schema)
    {
        await using var store = DocumentStore.For(o => o.ConfigureSreStore(connectionString, schema));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var clock = Stopwatch.StartNew();
        long events = 0;
        var pending = new List<StreamAction>();
        var pendingEvents = 0;
        async Task Add(Guid id, Type aggregate, List<object> stream)
        {
            var action = StreamAction.Start(store.Events, id, stream.ToArray());
            action.AggregateType = aggregate;
            pending.Add(action);
            pendingEvents += stream.Count;
            if (pendingEvents < 20_000) return;
            await Flush();
        }
        async Task Flush()
        {
            if (pending.Count > 0) await store.BulkInsertEventsAsync(pending, batchSize: 5_000);
            events += pendingEvents;
            pending.Clear();
            pendingEvents = 0;
        }
        for (var i = 0; i < Incidents; i++) await Add(IncidentIds.For(GroupKey(i), 1), typeof(Incident), IncidentEvents(i));
        for (var s = 0; s < Slos; s++) await Add(SloIds.For(SloName(s)), typeof(Slo), SloEvents(s));
        await Flush();
        var append = clock.Elapsed;
        var appendRate = events / append.TotalSeconds;
        Console.WriteLine($"baseline  Marten bulk append (COPY), {events:N0} events:  {append.TotalSeconds,6:F1} s = {appendRate,8:N0} events/s");

        using var daemon = await store.BuildProjectionDaemonAsync();
        // BENCH_ONLY=<name> rebuilds that projection alone (no check then passes): where one projection's time goes.
        var projections = store.Options.Projections.All.Select(p => p.Name).Where(n => Environment.GetEnvironmentVariable("BENCH_ONLY") is not { } only || n == only).ToList();
        clock.Restart();
        // A live database has statistics on its events; a table just filled by COPY has none until autovacuum comes
        // by, and PostgreSQL then plans the daemon's page reads as if it were empty. Analysing is timed with the rebuild.
        await using (var conn = new Npgsql.NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var analyze = new Npgsql.NpgsqlCommand($"analyze {schema}.mt_events; analyze {schema}.mt_streams", conn);
            await analyze.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"          analysed the events after {clock.Elapsed.TotalSeconds,6:F1} s");
        // All at once, as `projections rebuild` does: each reads the events it needs on its own connection.
        await Task.WhenAll(projections.Select(async name =>
        {
            await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(10), CancellationToken.None);
            Console.WriteLine($"          rebuilt {name,-28} after {clock.Elapsed.TotalSeconds,6:F1} s");
        }));
        var rebuild = clock.Elapsed;
        var rebuildRate = events / rebuild.TotalSeconds;
        Console.WriteLine($"rebuild   {projections.Count} projections from {events:N0} events:  {rebuild.TotalSeconds,6:F1} s = {rebuildRate,8:N0} events/s");
        Console.WriteLine($"ratio     rebuild / bulk append: {rebuildRate / appendRate:P1} (target: at least 20,000 events/s)");

        return await Verify(store, connectionString, schema) ? 0 : 1;
    }

    // The rebuilt read models must hold what the events say, or the rate means nothing.
    private static async Task<bool> Verify(IDocumentStore store, string connectionString, string schema)
    {
        await using var session = store.QuerySession();
        var incidents = await session.Query<Incident>().CountAsync();
        var resolved = await session.Query<Incident>().CountAsync(i => i.Status == IncidentStatus.Resolved);
        var groups = await session.Query<AlertGroup>().CountAsync();
        var sampleId = IncidentIds.For(GroupKey(Incidents - 1), 1);
        var sampleAlerts = await session.Query<IncidentAlert>().CountAsync(a => a.IncidentId == sampleId);
        var alerts = await session.Query<IncidentAlert>().CountAsync();
        var slos = await session.Query<Slo>().CountAsync();
        // The slices kept in their hours: how many, and their totals (against the hours' sums).
        long slices, sliceTotal;
        await using (var conn = new Npgsql.NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand(
                $"select coalesce(sum(cardinality(slice_ends)), 0)::bigint, coalesce(sum((select sum(t) from unnest(slice_totals) t)), 0)::bigint from {schema}.mt_doc_slihour", conn);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            (slices, sliceTotal) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var hourTotal = await session.Query<SliHour>().SumAsync(h => h.Total);
        var ok = incidents == Incidents && resolved == Incidents && groups == Incidents && sampleAlerts == AlertsEach
                 && alerts == Incidents * AlertsEach
                 && slos == Slos && slices == Slos * SlicesEach && hourTotal == sliceTotal;
        Console.WriteLine($"check     incidents {incidents:N0} (resolved {resolved:N0}), alert groups {groups:N0}, alerts {alerts:N0} (in the last {sampleAlerts}), " +
                          $"SLOs {slos}, slices {slices:N0}, events in slices {sliceTotal:N0} and in hours {hourTotal:N0}: {(ok ? "as written" : "NOT as written")}");
        return ok;
    }

    /// <summary>An availability SLO of 99.9% over 30 days, defined at <paramref name="at"/>: the event the API would record.</summary>
    public static SloDefined Defined(string name, string service, DateTimeOffset at) =>
        new(SloIds.For(name), new SloDefinition(name, service, null, new SliSpec(SliKind.Availability), 0.999,
            SloWindow.Rolling(TimeSpan.FromDays(30)), Budgeting.Occurrences, new(), AlertingOptions.Default), at, "bench");

    private static string GroupKey(int i) => $"{{}}:{{alertname=\"Rebuild\", group=\"{i}\"}}";
    private static string SloName(int s) => $"rebuild-{s}";

    private static List<object> IncidentEvents(int i)
    {
        var at = Start.AddMinutes(i);
        var labels = new Dictionary<string, string> { ["alertname"] = "Rebuild", ["service"] = $"svc-{i % 50}", ["severity"] = "page" };
        var events = new List<object>
        {
            new IncidentOpened(IncidentIds.For(GroupKey(i), 1), GroupKey(i), 1, $"Rebuild on svc-{i % 50}", $"svc-{i % 50}", "page",
                labels, "sre", "http://alertmanager", at, "alertmanager"),
        };
        for (var a = 0; a < AlertsEach; a++)
        {
            var alertLabels = new Dictionary<string, string>(labels) { ["pod"] = $"pod-{a}" };
            events.Add(new AlertFired(Guid.CreateVersion7(),
                new AlertSnapshot($"{i:x8}{a:x8}", at, null, alertLabels, new() { ["summary"] = "bench" }, "http://prometheus/graph"),
                at.AddSeconds(a), "alertmanager", FirstReport: true));
        }
        events.Add(new IncidentAcknowledged(at.AddMinutes(5), "oncall"));
        events.Add(new IncidentResolved("fixed", at.AddMinutes(30), "oncall"));
        return events;
    }

    private static List<object> SloEvents(int s)
    {
        var events = new List<object> { Defined(SloName(s), $"svc-{s % 50}", Start) };
        for (var m = 1; m <= SlicesEach; m++)
        {
            var end = Start.AddMinutes(m);
            events.Add(new SliObserved([new SliceObservation(end.AddMinutes(-1), end, 990 + m % 10, 1000)], end, "bench"));
        }
        return events;
    }
}
