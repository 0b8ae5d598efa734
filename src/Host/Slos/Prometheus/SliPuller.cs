using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Cluster;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Runtime;

namespace Sre.Host.Slos.Prometheus;

/// <summary>
/// Pulls the slices of every SLO whose SLI is PromQL from its Prometheus data source, every
/// <see cref="PrometheusOptions.PullInterval"/>: from the end of the last slice asked for (kept on the SLO's stream,
/// <see cref="SliPulled"/>), or from the start of its history, up to the last whole slice that ended a lag ago, one
/// <c>query_range</c> per query per range. Each range is committed with its progress in one transaction, so a pull cut
/// short (a crash, Prometheus down) resumes where the last commit left it, and nothing is counted twice: the progress is
/// appended at the version read, and a slice already stored (same SLO, start and end) is skipped.
/// With several processes on one database, each process pulls the SLOs of the work partitions it owns
/// (<see cref="OwnedPartitions"/>), so each SLO has one puller at a time; a write that meets another (a definition's own
/// catch-up, an evaluation, an owner that is taking over) fails on the stream's version and the next pull resumes.
/// The last range a pull commits carries the SLO's evaluation in the same transaction.
/// Faults: a refusal (bad PromQL) is recorded once as <see cref="SliPullFaulted"/> and the SLO waits for a new
/// definition; anything else (Prometheus down, timeouts after the resilience pipeline's retries) is logged, and the next
/// pull catches up.
/// </summary>
public sealed class SliPuller(
    IDocumentStore store, IHttpClientFactory http, SliceStore sliceStore,
    TimeProvider clock, IOptions<PrometheusOptions> options, IOptions<SloPolicyOptions> policy, PullMetrics metrics, ILogger<SliPuller> logger,
    ProjectionCache cache, IWolverineRuntime runtime, OwnedPartitions owned)
    : PeriodicSweep(clock, logger)
{
    /// <summary>The actor of pulled slices and of the pull's events.</summary>
    public const string Puller = "prometheus";

    /// <summary>Brings every pulled SLO up to date (one pass; what is left of a long catch-up goes on at the next).</summary>
    public override async Task SweepAll(CancellationToken ct)
    {
        // Configured and imported sources: an SLO whose source is imported after it was defined is pulled from then on. The
        // sweep runs with no source configured too, as a DataSource may be imported at any time; it stops here until then.
        await using var query = store.QuerySession();
        var sources = await DataSourceCatalog.Load(query, cache, options.Value, ct);
        if (sources.IsEmpty) return;
        // The SLOs furthest behind first, so that one whose queries keep failing does not hold the same others back each sweep.
        // An SLO already pulled through the last slice due is left alone: asking would only read its stream.
        var now = Clock.GetUtcNow();
        var slos = (await query.Query<Slo>().Where(s => s.Retired == null).ToListAsync(ct))
            .Where(s => owned.Owns(s.Id) && s.PullFault is null && sources.Pulls(s.Definition.Sli) is not null && Due(s, sources, now))
            .OrderBy(s => s.PulledThrough ?? DateTimeOffset.MinValue)
            .ToList();
        // A source that cannot be reached (no connection, or its circuit open) after one SLO's retries is not asked again in
        // this sweep: its other SLOs would each wait out the same backoff, and the SLOs of the other sources behind them. A
        // query that times out or meets a 5xx is that SLO's trouble: the others are still asked.
        var unreachable = new HashSet<string>();
        foreach (var slo in slos)
        {
            var source = sources.Pulls(slo.Definition.Sli)!;
            if (unreachable.Contains(source)) metrics.Failed(slo.Name, source, "unavailable");
            else if (!await PullLogged(slo, ct, until: now))
            {
                unreachable.Add(source);
                logger.LogWarning("The Prometheus data source {Source} is unreachable; its SLOs are pulled again at the next pull", source);
            }
        }
    }

    /// <summary>Whether the SLO, as last stored, has a whole slice to pull (or a history not begun).</summary>
    private bool Due(Slo slo, DataSourceCatalog sources, DateTimeOffset now)
    {
        if (slo.PulledThrough is not { } through) return true;
        var length = options.Value.SliceLengthOf(slo.Definition.Sli, sources.SourceNamed(slo.Definition.Sli.DataSource)!);
        return SlicePlan.Ranges(through, now, length, options.Value.EffectiveLag, options.Value.MaxPointsPerQuery).Count > 0;
    }

    /// <summary>
    /// Brings one SLO up to date, measured on <c>/metrics</c>; a failure (Prometheus or the database unreachable, a
    /// conflict with a redefinition) is logged and counted, and the next pull catches up from what is stored. False when
    /// the data source could not be reached (after the resilience pipeline's retries).
    /// </summary>
    public async Task<bool> PullLogged(Slo slo, CancellationToken ct, bool singleAttempt = false, DateTimeOffset? until = null)
    {
        var source = slo.Definition.Sli.DataSource ?? PrometheusOptions.DefaultSource;
        var started = Clock.GetTimestamp();
        try
        {
            await Pull(slo.Id, ct, singleAttempt, until);
            metrics.Pulled(slo.Name, source, Clock.GetElapsedTime(started));
            return true;
        }
        catch (Exception e) when (TransientFaults.IsConcurrencyConflict(e))
        {
            // Another writer (a redefinition, a queued evaluation, the definition's catch-up) committed to the stream first.
            metrics.Failed(slo.Name, source, "conflict");
            logger.LogInformation("Pulling the SLI of SLO {Slo} met another write to its stream; the next pull resumes where it stopped", slo.Name);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            metrics.Failed(slo.Name, source, "unavailable");
            logger.LogWarning(e, "Pulling the SLI of SLO {Slo} failed; the next pull resumes where it stopped", slo.Name);
            return !IsUnreachable(e);
        }
    }

    /// <summary>The data source could not be reached at all: no connection (refused, no route, no such host), or its circuit is open.</summary>
    public static bool IsUnreachable(Exception e) =>
        e is HttpRequestException { StatusCode: null } or Polly.CircuitBreaker.BrokenCircuitException;

    /// <summary>Brings one SLO up to date.</summary>
    /// <param name="sloId">The SLO.</param>
    /// <param name="ct">Stops the pull.</param>
    /// <param name="singleAttempt">Ask Prometheus once per query, without the retries (<see cref="PrometheusSetup.SingleAttemptClientName"/>).</param>
    /// <param name="until">Pull the slices due at this instant, not later ones (a sweep's start: every SLO of a sweep is
    /// pulled through the same slice, whichever comes last); now if null.</param>
    /// <remarks>
    /// The ranges due, up to <see cref="PrometheusOptions.MaxRangesPerPull"/>, one transaction each; the last one the pull
    /// commits evaluates the SLO in its own transaction (an evaluation between two ranges would append to the stream the
    /// next range appends to), over the windows every range of the pull changed. A pull that committed ranges and stops
    /// before such a last one (a failure, a conflicting write, a retirement) queues the SLO's evaluation
    /// (<see cref="EvaluateSlo"/>, a search of the whole look back) rather than leave those windows unsearched.
    /// </remarks>
    public async Task Pull(Guid sloId, CancellationToken ct, bool singleAttempt = false, DateTimeOffset? until = null)
    {
        var client = singleAttempt ? PrometheusSetup.SingleAttemptClientName : PrometheusSetup.ClientName;
        var ranges = options.Value.MaxRangesPerPull;
        // Where the slices this pull committed without an evaluation start.
        DateTimeOffset? unevaluated = null;
        try
        {
            for (var range = 0; range < ranges; range++)
            {
                var (pulled, start) = await PullNextRange(sloId, client, until, lastOfPull: range == ranges - 1, unevaluated, ct);
                switch (pulled)
                {
                    case RangePulled.More: unevaluated ??= start; break;
                    case RangePulled.Evaluated: unevaluated = null; return;
                    case RangePulled.Last: return;
                }
            }
        }
        finally
        {
            if (unevaluated is not null) await new MessageContext(runtime).PublishAsync(new EvaluateSlo(sloId));
        }
    }

    private enum RangePulled { Last, More, Evaluated }

    /// <summary>
    /// Pulls and commits the next range of slices, with the SLO's evaluation when the pull ends with it (no range after it,
    /// or the pull's last), and says which it was, or that there was nothing to commit; with
    /// the start of the range. The evaluation sees the range's slices as they will be once committed
    /// (<see cref="SlicesBeingCommitted"/>) and searches for budget events only in the windows that end after the first
    /// slice the pull committed (<paramref name="unevaluated"/>, or this range's), or in those of the events it could join
    /// (<see cref="Domain.Slos.Alerting.BudgetEventRecording.SearchFrom"/>): the windows before were searched, with the
    /// slices they hold, by the evaluation of the pull that committed them. So windows slide with every pull, with data
    /// or not, and the SLO's evaluation costs no transaction of its own (SloSweep leaves the SLOs whose pull keeps up to it).
    /// </summary>
    private async Task<(RangePulled Pulled, DateTimeOffset Start)> PullNextRange(
        Guid sloId, string client, DateTimeOffset? until, bool lastOfPull, DateTimeOffset? unevaluated, CancellationToken ct)
    {
        var settings = options.Value;
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<Slo>(sloId, ct);
        if (stream.Aggregate is not { IsRetired: false, PullFault: null } slo || !slo.Definition.Sli.IsPromQl) return (RangePulled.Last, default);
        var sli = slo.Definition.Sli;
        var sourceName = sli.DataSource ?? PrometheusOptions.DefaultSource;
        if ((await DataSourceCatalog.Load(session, cache, settings, ct)).SourceNamed(sli.DataSource) is not { } source) return (RangePulled.Last, default);
        var now = Clock.GetUtcNow();
        var length = settings.SliceLengthOf(sli, source);
        var from = slo.PulledThrough ?? HistoryStart(slo, now);
        var end = until is { } cut && cut < now ? cut : now;
        var ranges = SlicePlan.Ranges(from, end, length, settings.EffectiveLag, settings.MaxPointsPerQuery);
        if (ranges.Count == 0) return (RangePulled.Last, default);
        var range = ranges[0];
        var rangeStart = range.FirstEnd - length;
        // The windows this range's evaluation searches for budget events end after the first slice the pull committed.
        var changedAfter = unevaluated is { } earlier && earlier < rangeStart ? earlier : rangeStart;
        var prometheus = new PrometheusClient(http.CreateClient(client));

        // The slices read for this range (a range that evaluates reads ahead what its evaluation reads).
        ISliceReads reads = sliceStore;
        // Appends the range's events, and the evaluation if the pull ends here, in one commit.
        async Task<(RangePulled, DateTimeOffset)> Commit(bool more, IReadOnlyList<SliceObservation> fresh, params object[] events)
        {
            stream.AppendMany(events);
            var evaluated = !more || lastOfPull;
            if (evaluated)
            {
                var pulled = events.Aggregate(slo, (state, e) => e switch
                {
                    SliPulled p => state.Apply(p),
                    SliGapRecorded g => state.Apply(g),
                    _ => state,
                });
                var uncommitted = fresh.Select(f => new RecordedSlice(f.Start, f.End, f.Good, f.Total, now)).ToList();
                stream.AppendMany(await EvaluateSloHandler.Decide(
                    pulled, new SlicesBeingCommitted(reads, sloId, uncommitted), policy.Value, now, changedAfter, ct));
            }
            await session.SaveChangesAsync(ct);
            return (evaluated ? RangePulled.Evaluated : RangePulled.More, rangeStart);
        }

        if (Unpullable(sli, length) is { } problem)
        {
            Fault(stream, "definition", problem, now);
            await session.SaveChangesAsync(ct);
            return (RangePulled.Last, default);
        }

        // Slices that ended before the oldest instant the source keeps are a gap: recorded, not asked for.
        if (range.FirstEnd - length < now - RecentEnough
            && await OldestHeld(prometheus, sourceName, source, now, ct) is { } oldest
            && SlicePlan.GapBefore(range, oldest, now, settings.EffectiveLag) is { } gapTo)
        {
            var through = gapTo >= SlicePlan.AlignDown(end - settings.EffectiveLag, length);
            return await Commit(!through, [],
                new SliGapRecorded(rangeStart, gapTo, "retention", sourceName, now, Puller),
                new SliPulled(rangeStart, gapTo, sourceName, now, Puller));
        }

        var (slices, refusal) = await Query(prometheus, source, sli, range, ct);
        if (refusal is not null)
        {
            Fault(stream, refusal.ErrorType, $"Prometheus refused the query ({refusal.Status}): {refusal.Error}", now);
            await session.SaveChangesAsync(ct);
            return (RangePulled.Last, default);
        }
        var errors = new Dictionary<string, string[]>();
        foreach (var slice in slices!) ObservationRules.Check(slice, sli, "slice", policy.Value.Limits, now, errors);
        if (errors.Count > 0)
        {
            Fault(stream, "definition", $"A pulled slice is not valid: {string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}"))}", now);
            await session.SaveChangesAsync(ct);
            return (RangePulled.Last, default);
        }
        // A slice stored before (pushed before the SLO was pulled or while its source was gone, or pulled with earlier
        // queries, in slices of this length or another) keeps its numbers: a pulled slice that overlaps one is left out.
        // A range that evaluates reads what its evaluation's search for budget events reads in the same round trip.
        var (checkFrom, checkTo) = (rangeStart, range.LastEnd + policy.Value.MaxSliceLength);
        var evaluates = ranges.Count == 1 || lastOfPull;
        if (evaluates)
        {
            var (_, search) = EvaluateSloHandler.BudgetSearch(slo, policy.Value.Significance, now, changedAfter);
            reads = await SlicesReadAhead.ReadOnce(sliceStore, sloId,
                search.From < checkFrom ? search.From : checkFrom, search.To > checkTo ? search.To : checkTo, ct);
        }
        var stored = slices.Count == 0 && !evaluates
            ? []
            : (await reads.Read(sloId, checkFrom, checkTo, ct)).Where(s => s.Start < range.LastEnd);
        var fresh = PulledSlices.WithoutStored(slices, stored.Select(s => (s.Start, s.End))).Select(s => ObservationRules.ToObservation(s, sli)).ToList();
        var pulledRange = new SliPulled(rangeStart, range.LastEnd, sourceName, now, Puller);
        return await Commit(ranges.Count > 1, fresh, fresh.Count > 0 ? [new SliObserved(fresh, now, Puller), pulledRange] : [pulledRange]);
    }

    /// <summary>History older than this is checked against the source's retention; anything more recent it surely holds.</summary>
    private static readonly TimeSpan RecentEnough = TimeSpan.FromHours(2);

    /// <summary>Why the SLI cannot be pulled as defined (a fault of its definition), or null.</summary>
    private static string? Unpullable(SliSpec sli, TimeSpan length)
    {
        // A threshold SLI's value may be a gauge read at the slice's end; counted events need the slice's own range.
        var counted = sli.IsThreshold || sli.IsRaw ? [] : new[] { sli.TotalQuery, sli.GoodQuery ?? sli.BadQuery }.OfType<string>();
        return counted.FirstOrDefault(q => !SliQueryTemplate.HasWindow(q)) is { } fixedQuery
            ? $"The query '{fixedQuery}' has no {{{{.window}}}} placeholder: each slice must count its own {Domain.Time.PromDuration.Format(length)}."
            : null;
    }

    /// <summary>One <c>query_range</c> per query of the SLI over the range, turned into slices (<see cref="PulledSlices"/>).</summary>
    private static async Task<(IReadOnlyList<ObservedSlice>? Slices, PrometheusRefusal? Refusal)> Query(
        PrometheusClient prometheus, PrometheusSource source, SliSpec sli, SliceRange range, CancellationToken ct)
    {
        string Render(string query) => SliQueryTemplate.Render(query, range.Step);
        if (sli.IsRaw)
        {
            var (ratios, refusedRaw) = await prometheus.QueryRangeInParts(source, Render(sli.RawQuery!), range, ct);
            return refusedRaw is not null ? (null, refusedRaw) : (PulledSlices.Raw(range, ratios!, sli), null);
        }
        if (sli.IsThreshold)
        {
            var (values, refused) = await prometheus.QueryRangeInParts(source, Render(sli.ThresholdQuery!), range, ct);
            return refused is not null ? (null, refused) : (PulledSlices.Threshold(range, values!, sli.Op!.Value, sli.Value!.Value), null);
        }
        var (total, refusal) = await prometheus.QueryRangeInParts(source, Render(sli.TotalQuery!), range, ct);
        if (refusal is not null) return (null, refusal);
        if (sli.Kind == SliKind.Rate) return (PulledSlices.Total(range, total!), null);
        var (counted, refusedCount) = await prometheus.QueryRangeInParts(source, Render((sli.GoodQuery ?? sli.BadQuery)!), range, ct);
        return refusedCount is not null
            ? (null, refusedCount)
            : (PulledSlices.Ratio(range, total!, counted!, sli.GoodQuery is null ? CountedEvents.Bad : CountedEvents.Good), null);
    }

    /// <summary>
    /// The oldest instant a source still holds: now minus its configured retention, or the retention it reports
    /// (asked once per pull interval); null when unknown.
    /// </summary>
    private async Task<DateTimeOffset?> OldestHeld(PrometheusClient prometheus, string name, PrometheusSource source, DateTimeOffset now, CancellationToken ct)
    {
        if (source.Retention is { } configured) return now - configured;
        if (!_retention.TryGetValue(name, out var known) || now - known.AskedAt >= options.Value.PullInterval)
            _retention[name] = known = (await prometheus.Retention(source, ct), now);
        return known.Retention is { } retention ? now - retention : null;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (TimeSpan? Retention, DateTimeOffset AskedAt)> _retention = new();

    /// <summary>
    /// Where a pulled SLI's history starts: the instant its definition names, or the start of the longest window its
    /// numbers need now (<see cref="SloReads.Lookback"/>: the period and the longest alert window). A
    /// <c>historyFrom</c> in the future pulls nothing until then.
    /// </summary>
    public static DateTimeOffset HistoryStart(Slo slo, DateTimeOffset now) =>
        slo.Definition.Sli.HistoryFrom ?? SloReads.Lookback(slo.Definition, now);

    private void Fault(JasperFx.Events.IEventStream<Slo> stream, string kind, string message, DateTimeOffset now)
    {
        stream.AppendOne(new SliPullFaulted(kind, message, now, Puller));
        metrics.Failed(stream.Aggregate!.Name, stream.Aggregate.Definition.Sli.DataSource ?? PrometheusOptions.DefaultSource, kind);
    }

    protected override TimeSpan Interval => options.Value.PullInterval;

    // A pull at start catches up at once after the service was down.
    protected override bool SweepsAtStart => true;
}
