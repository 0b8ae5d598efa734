using System.Diagnostics.Metrics;
using Marten;
using Sre.Domain.Backups;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using Sre.Domain.Toil;
using Sre.Host.Slos;
using Sre.Projections.Caching;

namespace Sre.Host.Operations;

/// <summary>
/// The numbers an SRE dashboard wants, as gauges: budget, burn rate and alert state per SLO, open incidents,
/// backup age, this week's toil share per team, the daemon's lag, and the cache's counters. They are read from
/// the read models once per scrape (at most every few seconds), however many gauges ask.
/// </summary>
public sealed class BusinessMetrics : IDisposable
{
    public const string MeterName = "Sre";
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly Meter _meter = new(MeterName);
    private readonly IDocumentStore _store;
    private readonly SliceStore _slices;
    private readonly TimeProvider _clock;
    private readonly ScrapeSnapshot<Snapshot> _snapshot;

    private sealed record Snapshot(
        List<Measurement<double>> Budgets, List<Measurement<double>> BurnRates, List<Measurement<int>> Alerts,
        List<Measurement<int>> Incidents, List<Measurement<double>> BackupAges, List<Measurement<double>> ToilShares,
        List<Measurement<long>> Lags, List<Measurement<double>> PullAges);

    public BusinessMetrics(IDocumentStore store, SliceStore slices, ProjectionCache cache, TimeProvider clock, ILogger<BusinessMetrics> logger)
    {
        (_store, _slices, _clock) = (store, slices, clock);
        _snapshot = new ScrapeSnapshot<Snapshot>("the business metrics", new([], [], [], [], [], [], [], []), Take, Freshness, clock, logger);
        _meter.CreateObservableGauge("sre_slo_budget_remaining", () => Current().Budgets, description: "Remaining error budget of the SLO's period (ratio).");
        _meter.CreateObservableGauge("sre_slo_burn_rate", () => Current().BurnRates, description: "Burn rate of the SLO over the window.");
        _meter.CreateObservableGauge("sre_slo_alert_firing", () => Current().Alerts, description: "1 while a burn-rate condition of that severity fires.");
        _meter.CreateObservableGauge("sre_incidents_open", () => Current().Incidents, description: "Open incidents.");
        _meter.CreateObservableGauge("sre_backup_age_seconds", () => Current().BackupAges, description: "Age of the newest completed backup.");
        _meter.CreateObservableGauge("sre_toil_share", () => Current().ToilShares, description: "Share of the team's time spent on toil this week.");
        _meter.CreateObservableGauge("sre_slo_pull_age_seconds", () => Current().PullAges,
            description: "Time since the end of the SLO's last slice pulled from Prometheus.");
        _meter.CreateObservableGauge("sre_projection_lag_events", () => Current().Lags, description: "Events the async daemon's shard trails the store by.");
        _meter.CreateObservableCounter("sre_cache_hits", () => cache.Stats().Hits, description: "Projection cache hits.");
        _meter.CreateObservableCounter("sre_cache_misses", () => cache.Stats().Misses, description: "Projection cache misses.");
        _meter.CreateObservableCounter("sre_cache_evictions", () => cache.Stats().Evictions, description: "Projection cache evictions.");
        _meter.CreateObservableGauge("sre_cache_entries", () => cache.Stats().Entries, description: "Projection cache entries.");
    }

    /// <summary>The next scrape reads the models afresh (the tests reset the data under a running host).</summary>
    public void Forget() => _snapshot.Forget();

    private Snapshot Current() => _snapshot.Current();

    private async Task<Snapshot> Take(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var s = new Snapshot([], [], [], [], [], [], [], []);
        await using var session = _store.QuerySession();

        foreach (var slo in await session.Query<Slo>().Where(x => x.Retired == null).ToListAsync(ct))
        {
            if (await SloReads.StatusAt(_slices, slo, now, ct) is not { } status) continue;
            KeyValuePair<string, object?>[] tags = [new("slo", slo.Name), new("service", slo.Service), new("objective", slo.Definition.ObjectiveName)];
            if (slo.PulledThrough is { } through) s.PullAges.Add(new((now - through).TotalSeconds, tags));
            s.Budgets.Add(new(status.Budget.Remaining, tags));
            foreach (var burn in status.BurnRates.Where(b => b.BurnRate is not null))
                s.BurnRates.Add(new(burn.BurnRate!.Value, [.. tags, new("window", PromDuration.Format(burn.Window))]));
            foreach (var severity in status.Conditions.GroupBy(c => c.Severity))
                s.Alerts.Add(new(severity.Any(c => c.Firing) ? 1 : 0, [.. tags, new("severity", severity.Key)]));
        }

        var open = await session.Query<Incident>()
            .Where(i => i.Status == IncidentStatus.Triggered || i.Status == IncidentStatus.Acknowledged || i.Status == IncidentStatus.Mitigated)
            .Select(i => new { i.Service, i.Severity }).ToListAsync(ct);
        foreach (var group in open.GroupBy(i => (i.Service, i.Severity)))
            s.Incidents.Add(new(group.Count(), [new("service", group.Key.Service), new("severity", group.Key.Severity)]));

        foreach (var target in await session.Query<BackupTarget>().ToListAsync(ct))
            if (target.NewestCompleted is { } newest)
                s.BackupAges.Add(new((now - newest.CompletedAt).TotalSeconds, [new("target", target.Name)]));

        var week = TeamToil.BucketStart(now, ToilBucket.Week);
        var minutes = (await session.Query<ToilEntry>().Where(e => e.PerformedAt >= week && e.PerformedAt <= now)
            .Select(e => new { e.Team, e.Minutes }).ToListAsync(ct)).GroupBy(e => e.Team).ToDictionary(g => g.Key, g => g.Sum(e => e.Minutes));
        foreach (var team in await session.Query<Team>().ToListAsync(ct))
            if (TeamToil.CapacityMinutes(team.Capacity, week, now) is > 0 and var capacity)
                s.ToilShares.Add(new(minutes.GetValueOrDefault(team.Name) / capacity, [new("team", team.Name)]));

        foreach (var (shard, lag) in (await ProjectionLag.Read(_store, ct)).Shards)
            s.Lags.Add(new(lag, [new("shard", shard)]));
        return s;
    }

    public void Dispose() => _meter.Dispose();
}
