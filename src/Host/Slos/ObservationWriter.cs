using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos.Prometheus;
using Sre.Projections.Caching;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Sre.Host.Slos;

/// <summary>One slice for one SLO, named by its place in the request for error messages.</summary>
public sealed record ObservationItem(string Slo, ObservedSlice Slice, string Path);

public sealed record ObservationResult(int Accepted, int Duplicates);

/// <summary>
/// Validates a batch of slices against their SLOs and appends the new ones as one SliObserved per SLO, in one
/// transaction. Nothing of an invalid batch is stored; a slice already recorded (same SLO, start and end) is
/// skipped. Concurrent batches for one SLO meet on its stream version and the loser retries on fresh state: the
/// request answers only once its batch is stored. The evaluation of each SLO that got data is queued in the same
/// transaction (Wolverine's outbox), so it runs once the batch commits, after the answer.
/// </summary>
public sealed class ObservationWriter(
    OutboxedSessionFactory sessions, IWolverineRuntime runtime, TimeProvider clock, IOptions<SloPolicyOptions> options,
    IOptions<PrometheusOptions> prometheus, ProjectionCache cache, SliceStore store)
{
    private const int MaxAttempts = 5;

    /// <summary>What was stored; or the errors by field (400); or why the batch conflicts with an SLO's source (409).</summary>
    public sealed record Outcome(ObservationResult? Result, Dictionary<string, string[]> Errors, string? Conflict = null);

    // Another writer may append to one of these SLOs first: the batch is decided again on what it stored.
    public Task<Outcome> Record(IReadOnlyList<ObservationItem> items, string by, CancellationToken ct) =>
        TransientFaults.RetryOnConflict(MaxAttempts, () => RecordOnce(items, by, ct));

    private async Task<Outcome> RecordOnce(IReadOnlyList<ObservationItem> items, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        // A fresh outbox per attempt: what a failed attempt queued goes with its session.
        var bus = new MessageContext(runtime);
        await using var session = sessions.OpenSession(bus);

        var names = items.Select(i => i.Slo).Distinct().ToList();
        var streams = new Dictionary<string, JasperFx.Events.IEventStream<Slo>>();
        var objectives = new Dictionary<string, IReadOnlyList<Slo>>();
        foreach (var name in names)
        {
            var stream = await session.Events.FetchForWriting<Slo>(SloIds.For(name), ct);
            if (stream.Aggregate is { IsRetired: false }) { streams[name] = stream; continue; }
            // An OpenSLO SLO of several objectives that share its indicator (its own stream retired when it had one): its
            // slices go to each objective.
            var shared = await Slos.OpenSlo.OpenSloCatalog.Objectives(session, name, ct);
            if (shared.Count == 0)
            {
                if (stream.Aggregate is not null) streams[name] = stream;
                continue;
            }
            objectives[name] = shared;
            foreach (var objective in shared) streams[objective.Name] = await session.Events.FetchForWriting<Slo>(objective.Id, ct);
        }
        items = items.SelectMany(i => objectives.TryGetValue(i.Slo, out var of) && !of[0].Definition.Objective!.Composite
            ? of.Select(o => i with { Slo = o.Name })
            : [i]).ToList();
        foreach (var (name, of) in objectives.Where(o => o.Value[0].Definition.Objective!.Composite))
            errors[$"{items.First(i => i.Slo == name).Path}.slo"] =
                [$"'{name}' is a composite SLO: each objective has its own indicator, so slices go to each: {string.Join(", ", of.Select(o => o.Name))}."];

        var limits = options.Value.Limits;
        DataSourceCatalog? sources = null;
        foreach (var item in items)
        {
            if (!streams.TryGetValue(item.Slo, out var stream))
                errors.TryAdd($"{item.Path}.slo", [$"no SLO named '{item.Slo}'."]);
            else if (stream.Aggregate!.IsRetired)
                errors[$"{item.Path}.slo"] = [$"the SLO '{item.Slo}' is retired."];
            else if (stream.Aggregate.Definition.Sli.IsPromQl && (sources ??= await DataSourceCatalog.Load(session, cache, prometheus.Value, ct)).Pulls(stream.Aggregate.Definition.Sli) is { } source)
                // An SLO takes its data from Prometheus or from pushes, never both: a slice would be counted from two sources.
                return new Outcome(null, errors, $"The SLO '{item.Slo}' takes its data from the Prometheus data source '{source}': slices are pulled, not pushed.");
            else if (stream.Aggregate.Definition.Sli is { IsPromQl: true, DataSource: { } named })
                // It names its data source: it is to be pulled from there, once the source exists (or has its secret).
                return new Outcome(null, errors, $"The SLO '{item.Slo}' takes its data from the Prometheus data source '{named}', which cannot be pulled from yet: slices are pulled, not pushed.");
            else
                ObservationRules.Check(item.Slice, stream.Aggregate.Definition.Sli, item.Path, limits, now, errors);
        }
        if (errors.Count > 0 || items.Count == 0) return new Outcome(null, errors);

        var keyed = items
            .Select(i => (Item: i, Id: (SloIds.For(i.Slo), i.Slice.Start, i.Slice.End)))
            .DistinctBy(x => x.Id)
            .ToList();
        var existing = await store.Stored(keyed.Select(k => k.Id).ToList(), ct);
        var fresh = keyed.Where(k => !existing.Contains(k.Id)).ToList();

        foreach (var group in fresh.GroupBy(k => k.Item.Slo))
        {
            var sli = streams[group.Key].Aggregate!.Definition.Sli;
            var slices = group.Select(k => ObservationRules.ToObservation(k.Item.Slice, sli)).OrderBy(s => s.Start).ToList();
            streams[group.Key].AppendOne(new SliObserved(slices, now, by));
        }
        if (fresh.Count > 0)
        {
            await bus.EvaluateOnCommit(fresh.Select(k => SloIds.For(k.Item.Slo)));
            await session.SaveChangesAsync(ct);
        }
        return new Outcome(new ObservationResult(fresh.Count, items.Count - fresh.Count), errors);
    }
}
