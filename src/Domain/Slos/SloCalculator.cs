namespace Sre.Domain.Slos;

/// <summary>Good and valid units (events, or slices for the timeslice methods) over a window; no valid units is no data.</summary>
public sealed record Tally(decimal Good, decimal Total)
{
    public static readonly Tally Empty = new(0, 0);
    public bool NoData => Total <= 0;
    public decimal Bad => Total - Good;
    public double? Ratio => NoData ? null : (double)(Good / Total);
    public double? ErrorRatio => NoData ? null : (double)(Bad / Total);
}

/// <summary>The SLI and burn rate over one window ending at the status's instant (<see cref="ErrorBudget.BurnRate"/>).</summary>
public sealed record WindowBurn(TimeSpan Window, decimal Good, decimal Total, double? ErrorRatio, double? BurnRate);

public sealed record ConditionState(string Severity, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor,
    double? LongBurnRate, double? ShortBurnRate, decimal LongEvents, bool Firing);

/// <summary>The period's budget in the units of the budgeting method (<see cref="ErrorBudget"/>): allowed and spent bad
/// units, and the share remaining (1 = untouched, 0 = exactly spent, below 0 = overspent).</summary>
public sealed record BudgetState(double Allowed, double Spent, double Remaining);

/// <summary>For the timeslice methods: the slices of the whole window, those of the period so far that had data, and
/// those that had none (they spend no budget).</summary>
public sealed record SliceCounts(long InWindow, long WithData, long WithoutData);

/// <summary>A period's budget: the period, where counting starts, the tally from there, the bad units allowed.</summary>
public sealed record PeriodBudget(SloPeriod Period, DateTimeOffset Start, Tally Sli, decimal Allowed);

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
    bool Ticket,
    SliceCounts? Slices = null,
    Pull.SliSource? Source = null,
    SloObjective? Objective = null);

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

    public static SloStatus Compute(SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> observations, DateTimeOffset at) =>
        FromTallies(def, definedAt, at, Tallies(def, definedAt, observations, at));

    /// <summary>The tally of the units that can count at <paramref name="at"/> and end after a given instant.</summary>
    public static Func<DateTimeOffset, Tally> Tallies(SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> observations, DateTimeOffset at)
    {
        var units = SliceUnits.Of(def, observations.Where(s => s.Start >= definedAt && s.End <= at).OrderBy(s => s.End).ToList());
        return from => SliceUnits.Tally(def.Budgeting, units.Where(u => u.End > from));
    }

    /// <summary>
    /// The period's budget at <paramref name="at"/>: where it starts counting (the period's start, or the definition if
    /// later), its tally, and the bad units it allows, of the whole period (<see cref="ErrorBudget"/>).
    /// </summary>
    public static PeriodBudget Budget(SloDefinition def, DateTimeOffset definedAt, DateTimeOffset at, Func<DateTimeOffset, Tally> over)
    {
        var period = SloPeriod.At(def.Window, at);
        var start = period.Start > definedAt ? period.Start : definedAt;
        var sli = over(start);
        return new PeriodBudget(period, start, sli, ErrorBudget.Allowed(def.Target, ErrorBudget.Units(def, period.Length, sli)));
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

    /// <summary>
    /// The burn rate of the last hour (time to exhaustion and the SLO list go by it): the reported 1h window, the first
    /// of that length, as the period of an SLO with a rolling 1h window is an hour long too.
    /// </summary>
    public static double? HourBurnRate(IEnumerable<WindowBurn> burns) => burns.First(b => b.Window == TimeSpan.FromHours(1)).BurnRate;

    /// <summary>The status from the tally of good and valid units ending after each window start (up to at).</summary>
    public static SloStatus FromTallies(SloDefinition def, DateTimeOffset definedAt, DateTimeOffset at, Func<DateTimeOffset, Tally> over)
    {
        var (period, periodStart, sli, allowed) = Budget(def, definedAt, at, over);
        var remaining = (double)ErrorBudget.Remaining(allowed, sli.Bad);

        double? Burn(TimeSpan window, Tally t) => ErrorBudget.BurnRate(def, window, t) is { } b ? (double)b : null;
        var burns = ReportedWindows.Select(w => (Window: w, Span: w, Tally: over(at - w)))
            .Append((Window: period.Length, Span: at - period.Start, Tally: sli))
            .Select(x => new WindowBurn(x.Window, x.Tally.Good, x.Tally.Total, x.Tally.ErrorRatio, Burn(x.Span, x.Tally)))
            .ToList();
        var burn1h = HourBurnRate(burns);
        double? toExhaustion = remaining <= 0 ? 0 : burn1h is > 0 ? remaining * period.Length.TotalSeconds / burn1h.Value : null;

        var conditions = (def.Alerting.Conditions ?? BurnRateMath.DefaultConditions(period.Length)).Select(c =>
        {
            var longTally = over(at - c.LongWindow);
            var shortTally = over(at - c.ShortWindow);
            var firing = Fires(def, c, longTally, shortTally);
            return new ConditionState(c.Severity, c.LongWindow, c.ShortWindow, c.Factor,
                Burn(c.LongWindow, longTally), Burn(c.ShortWindow, shortTally), longTally.Total, firing);
        }).ToList();

        return new SloStatus(def.Name, def.Service, at, def.Target, def.Window, def.Budgeting.Method, periodStart, period.Length,
            sli.NoData, sli, new BudgetState((double)allowed, (double)sli.Bad, remaining), burns, toExhaustion, conditions,
            conditions.Any(c => c.Firing && c.Severity == "page"), conditions.Any(c => c.Firing && c.Severity == "ticket"),
            Slices(def.Budgeting, period, periodStart, at, sli), null, def.Objective);
    }

    /// <summary>
    /// Whether a burn-rate condition fires on the tallies of its long and short windows ending at the same instant: the
    /// long window holds at least the minimum of valid events (and one), and both burn faster than the factor (workbook
    /// ch. 5, multi-window, multi-burn-rate). The live evaluator and the backtest of alerting strategies both ask this.
    /// </summary>
    public static bool Fires(SloDefinition def, BurnCondition c, Tally longTally, Tally shortTally) =>
        longTally.Total >= Math.Max(1, def.Alerting.MinEvents)
        && Compares(def, c, c.LongWindow, longTally) && Compares(def, c, c.ShortWindow, shortTally);

    /// <summary>Whether the burn rate over one window compares with the condition's factor as its op says (exactly, without division).</summary>
    private static bool Compares(SloDefinition def, BurnCondition c, TimeSpan window, Tally tally) => c.Op switch
    {
        ThresholdOp.Gte => ErrorBudget.BurnsAtLeast(def, window, tally, c.Factor),
        ThresholdOp.Lt => !tally.NoData && !ErrorBudget.BurnsAtLeast(def, window, tally, c.Factor),
        ThresholdOp.Lte => !tally.NoData && !ErrorBudget.BurnsFasterThan(def, window, tally, c.Factor),
        _ => ErrorBudget.BurnsFasterThan(def, window, tally, c.Factor),
    };

    private static SliceCounts? Slices(Budgeting budgeting, SloPeriod period, DateTimeOffset periodStart, DateTimeOffset at, Tally sli)
    {
        if (budgeting.Method == BudgetingMethod.Occurrences) return null;
        var length = budgeting.SliceLength!.Value.Ticks;
        // Slices are aligned to the Unix epoch (SliceUnits.Counted): those that end in (periodStart, at].
        long Slot(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / length;
        var elapsed = Slot(at) - Slot(periodStart);
        var withData = (long)sli.Total;
        return new SliceCounts(period.Length.Ticks / length, withData, Math.Max(0, elapsed - withData));
    }
}
