namespace Sre.Domain.Slos;

/// <summary>
/// The error budget in the units its budgeting method counts (SRE workbook, ch. 2 "Implementing SLOs"; OpenSLO
/// <c>budgetingMethod</c>), in exact decimal arithmetic so that a budget spent to the last unit is exhausted and a burn
/// rate equal to a factor does not exceed it.
/// <list type="bullet">
/// <item>Occurrences: events. The budget of a span is (1 − target) × its valid events.</item>
/// <item>A rate SLI under Occurrences: minutes (its rule is per minute; an observed slice counts its minutes good or bad).</item>
/// <item>Timeslices and RatioTimeslices: slices. The budget of a span is (1 − target) × the slices of the whole span
/// (its length ÷ the slice length), data or not: 99.9% of a 30-day window of 1-minute slices allows 43.2 bad
/// minutes. A slice without data spends nothing; a bad slice spends 1 (Timeslices) or its error ratio (RatioTimeslices).</item>
/// </list>
/// Remaining = 1 − bad ÷ budget; burn rate over a window = bad ÷ the window's budget, which for Occurrences is the
/// workbook's error ratio ÷ (1 − target), and for the timeslice methods the share of the budget spent over the share
/// of the period the window is.
/// </summary>
public static class ErrorBudget
{
    /// <summary>A number of the definition (target, factor, slice target) at the precision it was written in: a double
    /// becomes the decimal of its 15 significant digits (0.999 is 0.999, not 0.99899999999999999911).</summary>
    public static decimal Exact(double value) => (decimal)value;

    /// <summary>A target given in percent as a ratio, exactly as written: 99.9 is 0.999 (not 0.9990000000000001).</summary>
    public static double RatioOf(double percent) =>
        Math.Abs(percent) < 1e12 ? (double)(Exact(percent) / 100) : percent / 100; // out of range (or NaN): validation names it

    /// <summary>The units the budget counts in a span of <paramref name="length"/> whose tally is <paramref name="tally"/>:
    /// its slices for the timeslice methods, its minutes for a rate SLI (judged per minute), else its valid events.</summary>
    public static decimal Units(SloDefinition def, TimeSpan length, Tally tally) =>
        def.Budgeting.Method != BudgetingMethod.Occurrences ? (decimal)length.Ticks / def.Budgeting.SliceLength!.Value.Ticks
        : def.Sli.Kind == SliKind.Rate ? (decimal)length.Ticks / TimeSpan.TicksPerMinute
        : tally.Total;

    /// <summary>Bad units the target allows in those units: (1 − target) × units.</summary>
    public static decimal Allowed(double target, decimal units) => (1 - Exact(target)) * units;

    /// <summary>Share of the budget left: 1 − bad ÷ allowed; 1 while nothing is allowed yet (no data), below 0 when overspent.</summary>
    public static decimal Remaining(decimal allowed, decimal bad) => allowed <= 0 ? 1 : 1 - bad / allowed;

    /// <summary>Burn rate over a window: bad ÷ the window's budget; null without data.</summary>
    public static decimal? BurnRate(SloDefinition def, TimeSpan window, Tally tally) =>
        !tally.NoData && Allowed(def.Target, Units(def, window, tally)) is > 0 and var allowed ? tally.Bad / allowed : null;

    /// <summary>Whether a target is a ratio from 0 up to (not including) 1 at the precision the budget uses (0.9999999999999999
    /// is 1), as OpenSLO's <c>target</c> is [0, 1): a target of 0 allows every unit to be bad.</summary>
    public static bool IsValidTarget(double target) => target is >= 0 and < 1 && Exact(target) is >= 0 and < 1;

    /// <summary>Whether the burn rate over a window is above <paramref name="factor"/>, compared without division.</summary>
    public static bool BurnsFasterThan(SloDefinition def, TimeSpan window, Tally tally, double factor) =>
        !tally.NoData && tally.Bad > Exact(factor) * Allowed(def.Target, Units(def, window, tally));

    /// <summary>Whether the burn rate over a window is at least <paramref name="factor"/> (the workbook's first strategies
    /// write "error rate ≥ budget"), compared without division.</summary>
    public static bool BurnsAtLeast(SloDefinition def, TimeSpan window, Tally tally, double factor) =>
        !tally.NoData && tally.Bad >= Exact(factor) * Allowed(def.Target, Units(def, window, tally));
}
