using Marten;
using Sre.Domain.Slos;

namespace Sre.Host.Slos;

/// <summary>Loads an SLO as stored, and the slices its numbers need at an instant, and computes them.</summary>
public static class SloReads
{
    /// <summary>
    /// The snapshot with the stream's version: observations are appended to the SLO's stream but not folded into
    /// the snapshot, so the snapshot's own version lags behind the one stored (a write that changed nothing answers this).
    /// </summary>
    public static async Task<Slo?> Stored(IQuerySession session, Guid id, CancellationToken ct)
    {
        if (await session.LoadAsync<Slo>(id, ct) is not { } slo) return null;
        var state = await session.Events.FetchStreamStateAsync(id, ct);
        return slo with { Version = state?.Version ?? slo.Version };
    }

    public static async Task<SloStatus?> StatusAt(ISliceReads store, Slo slo, DateTimeOffset at, CancellationToken ct)
    {
        if (slo.DefinitionAt(at) is not { } definition) return null;
        if (definition.Budgeting.Method == BudgetingMethod.Occurrences && definition.Sli.Kind != SliKind.Rate)
        {
            // Occurrences only need sums: PostgreSQL adds every window up in one pass instead of shipping the slices.
            var starts = SloCalculator.WindowStarts(definition, slo.CountsFrom, at);
            var sums = await store.Sums(slo.Id, slo.CountsFrom, at, starts, ct);
            return SloCalculator.FromTallies(definition, slo.CountsFrom, at, from => sums[from]);
        }
        var data = (await Load(store, slo, at, ct))!.Value;
        return SloCalculator.Compute(data.Definition, slo.CountsFrom, data.Slices, at);
    }

    /// <summary>The definition in force at an instant and the slices recorded by then that can count; null before the SLO existed.</summary>
    public static async Task<(SloDefinition Definition, IReadOnlyList<SliceObservation> Slices)?> Load(
        ISliceReads store, Slo slo, DateTimeOffset at, CancellationToken ct, DateTimeOffset? from = null)
    {
        if (slo.DefinitionAt(at) is not { } definition) return null;
        var lookback = Lookback(definition, at);
        if (from is { } f && f - (definition.Sli.Rate?.DropWindow ?? TimeSpan.Zero) < lookback) lookback = f;
        var slices = await store.Read(slo.Id, lookback, at, ct);
        return (definition, slices.Where(s => s.RecordedAt <= at).Select(s => s.ToObservation()).ToList());
    }

    /// <summary>The status at each instant, from one read of the slices: what a chart of the budget needs.</summary>
    public static async Task<IReadOnlyList<SloStatus>> History(
        SliceStore store, Slo slo, IReadOnlyList<DateTimeOffset> instants, CancellationToken ct)
    {
        var known = instants.Where(t => slo.DefinitionAt(t) is not null).ToList();
        if (known.Count == 0) return [];
        var from = known.Min(t => Lookback(slo.DefinitionAt(t)!, t));
        var slices = await store.Read(slo.Id, from, known.Max(), ct);
        return known.Select(t => SloCalculator.Compute(slo.DefinitionAt(t)!, slo.CountsFrom,
            slices.Where(s => s.RecordedAt <= t && s.End <= t).Select(s => s.ToObservation()), t)).ToList();
    }

    /// <summary>Where the oldest slice that can count at <paramref name="at"/> may end: the period, the longest alert window, the rate rule's look back.</summary>
    public static DateTimeOffset Lookback(SloDefinition definition, DateTimeOffset at)
    {
        var period = SloPeriod.At(definition.Window, at);
        var longest = (definition.Alerting.Conditions ?? BurnRateMath.DefaultConditions(period.Length))
            .Select(c => c.LongWindow)
            .Append(SloCalculator.ReportedWindows.Max())
            .Max();
        var from = at - longest < period.Start ? at - longest : period.Start;
        return from - (definition.Sli.Rate?.DropWindow ?? TimeSpan.Zero);
    }
}
