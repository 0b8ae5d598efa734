namespace Sre.Domain.Slos;

/// <summary>
/// The error-budget formulas of the SRE workbook, as small pure functions, for events (Occurrences). The service's
/// numbers come from <see cref="ErrorBudget"/>, which counts the budget in the units of every budgeting method and
/// reduces to these for events; the conditions' factors come from here.
/// </summary>
public static class BurnRateMath
{
    /// <summary>Burn rate = error ratio / (1 − target); 1 spends exactly the whole budget in one period.</summary>
    public static double BurnRate(double errorRatio, double target) => errorRatio / (1 - target);

    /// <summary>Share of the period's budget spent by burning at <paramref name="burnRate"/> for <paramref name="window"/>.</summary>
    public static double BudgetConsumed(double burnRate, TimeSpan window, TimeSpan period) => burnRate * window / period;

    /// <summary>Time until the whole budget is spent at a constant burn rate: period / burn rate.</summary>
    public static TimeSpan? TimeToExhaustion(double burnRate, TimeSpan period) =>
        burnRate <= 0 ? null : period / burnRate;

    /// <summary>The burn rate at which <paramref name="budgetShare"/> of the budget is spent in <paramref name="longWindow"/>: share × period / long window.</summary>
    public static double Factor(double budgetShare, TimeSpan period, TimeSpan longWindow) => budgetShare * period / longWindow;

    /// <summary>The workbook's multi-window, multi-burn-rate table (for 30 days: 14.4, 6, 3, 1), scaled to any period.</summary>
    public static IReadOnlyList<BurnCondition> DefaultConditions(TimeSpan period) =>
    [
        new("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), Round(Factor(0.02, period, TimeSpan.FromHours(1)))),
        new("page", TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), Round(Factor(0.05, period, TimeSpan.FromHours(6)))),
        new("ticket", TimeSpan.FromDays(1), TimeSpan.FromHours(2), Round(Factor(0.10, period, TimeSpan.FromDays(1)))),
        new("ticket", TimeSpan.FromDays(3), TimeSpan.FromHours(6), Round(Factor(0.10, period, TimeSpan.FromDays(3)))),
    ];

    // Keeps 14.4 from printing as 14.399999999999999.
    private static double Round(double factor) => Math.Round(factor, 6);
}
