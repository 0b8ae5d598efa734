namespace Sre.Domain.Slos;

/// <summary>Good and valid units (events, or slices for the timeslice methods) over a window; no valid units is no data.</summary>
public sealed record Tally(double Good, double Total)
{
    public bool NoData => Total <= 0;
    public double? Ratio => NoData ? null : Good / Total;
    public double? ErrorRatio => NoData ? null : 1 - Good / Total;
}

public sealed record WindowBurn(TimeSpan Window, double Good, double Total, double? ErrorRatio, double? BurnRate);

public sealed record ConditionState(string Severity, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor,
    double? LongBurnRate, double? ShortBurnRate, double LongEvents, bool Firing);

public sealed record BudgetState(double Allowed, double Spent, double Remaining);

public sealed record SloStatus(
    string Name,
    string Service,
    DateTimeOffset At,
    double Target,
    SloWindow Window,
    BudgetingMethod Method,
    DateTimeOffset PeriodStart,
    TimeSpan PeriodLength,
    bool NoData,
    Tally Sli,
    BudgetState Budget,
    IReadOnlyList<WindowBurn> BurnRates,
    double? TimeToExhaustionSeconds,
    IReadOnlyList<ConditionState> Conditions,
    bool Page,
    bool Ticket);

/// <summary>
/// The numbers of an SLO at an instant, from its definition then in force and its slices. A slice counts in a
/// window when it ends inside it; slices that start before the SLO was defined never count. Occurrences sums
/// good and total (never averages ratios); zero traffic is no data (null ratios and burn rates), never NaN.
/// </summary>
public static class SloCalculator
{
    public static readonly TimeSpan[] ReportedWindows =
    [
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(3),
    ];

    public static SloStatus Compute(SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> observations, DateTimeOffset at)
    {
        var slices = observations.Where(s => s.Start >= definedAt && s.End <= at).OrderBy(s => s.End).ToList();
        var units = SliceUnits.Of(def, slices);
        return FromTallies(def, definedAt, at, from => SliceUnits.Tally(def.Budgeting, units.Where(u => u.End > from)));
    }

    /// <summary>
    /// Every instant a window of the status starts at: the tallies <see cref="FromTallies"/> asks for, so that a store
    /// can sum them in one pass (each counts the slices that start at or after the definition and end after it, up to at).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> WindowStarts(SloDefinition def, DateTimeOffset definedAt, DateTimeOffset at)
    {
        var period = SloPeriod.At(def.Window, at);
        var conditions = def.Alerting.Conditions ?? BurnRateMath.DefaultConditions(period.Length);
        return ReportedWindows.Select(w => at - w)
            .Append(period.Start > definedAt ? period.Start : definedAt)
            .Concat(conditions.SelectMany(c => new[] { at - c.LongWindow, at - c.ShortWindow }))
            .Distinct()
            .ToList();
    }

    /// <summary>The status from the tally of good and valid units ending after each window start (up to at).</summary>
    public static SloStatus FromTallies(SloDefinition def, DateTimeOffset definedAt, DateTimeOffset at, Func<DateTimeOffset, Tally> over)
    {
        var period = SloPeriod.At(def.Window, at);
        var periodStart = period.Start > definedAt ? period.Start : definedAt;

        double? Burn(Tally t) => t.ErrorRatio is { } e ? BurnRateMath.BurnRate(e, def.Target) : null;

        var sli = over(periodStart);
        var allowed = (1 - def.Target) * sli.Total;
        var spent = sli.Total - sli.Good;
        var remaining = sli.NoData ? 1.0 : 1 - spent / allowed;

        var burns = ReportedWindows.Select(w => (Window: w, Tally: over(at - w)))
            .Append((Window: period.Length, Tally: sli))
            .Select(x => new WindowBurn(x.Window, x.Tally.Good, x.Tally.Total, x.Tally.ErrorRatio, Burn(x.Tally)))
            .ToList();
        var burn1h = burns.Single(b => b.Window == TimeSpan.FromHours(1)).BurnRate;
        double? toExhaustion = remaining <= 0 ? 0 : burn1h is > 0 ? remaining * period.Length.TotalSeconds / burn1h.Value : null;

        var conditions = (def.Alerting.Conditions ?? BurnRateMath.DefaultConditions(period.Length)).Select(c =>
        {
            var longTally = over(at - c.LongWindow);
            var shortTally = over(at - c.ShortWindow);
            var (longBurn, shortBurn) = (Burn(longTally), Burn(shortTally));
            var firing = longTally.Total >= Math.Max(1, def.Alerting.MinEvents)
                && longBurn > c.Factor && shortBurn > c.Factor;
            return new ConditionState(c.Severity, c.LongWindow, c.ShortWindow, c.Factor, longBurn, shortBurn, longTally.Total, firing);
        }).ToList();

        return new SloStatus(def.Name, def.Service, at, def.Target, def.Window, def.Budgeting.Method, periodStart, period.Length,
            sli.NoData, sli, new BudgetState(allowed, spent, remaining), burns, toExhaustion, conditions,
            conditions.Any(c => c.Firing && c.Severity == "page"), conditions.Any(c => c.Firing && c.Severity == "ticket"));
    }
}
