namespace Sre.Domain.Slos;

/// <summary>One point of a burn-down: the share of the period's budget left at <see cref="At"/>, and what a steady spend would leave.</summary>
public sealed record BurnDownPoint(DateTimeOffset At, double Remaining, double Ideal);

/// <summary>
/// The error budget of the period that ends at <c>at</c> (the calendar period so far, or the rolling window ending
/// then), spent down over that period: it starts at 1 at the period's start and ends at the status's remaining budget
/// (<see cref="SloCalculator.Compute"/>) at <c>at</c>. Each point subtracts the bad units of the slices that ended by
/// then from the budget the whole period allows (<see cref="ErrorBudget"/>; the Workbook's "Implementing SLOs": the budget
/// is 1 − SLO of the period's units). The ideal line spends it evenly, from 1 at the start to 0 at the period's end.
/// </summary>
public static class BudgetBurnDown
{
    public static IReadOnlyList<BurnDownPoint> Of(
        SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> observations, DateTimeOffset at, int points)
    {
        var units = SliceUnits.Of(def, observations.Where(s => s.Start >= definedAt && s.End <= at).OrderBy(s => s.End).ToList());
        var budget = SloCalculator.Budget(def, definedAt, at, from => SliceUnits.Tally(def.Budgeting, units.Where(u => u.End > from)));
        var start = budget.Period.Start;
        var step = (at - start) / Math.Max(1, points - 1);
        var result = new List<BurnDownPoint>(points);
        for (var i = 0; i < points; i++)
        {
            var t = i == points - 1 ? at : start + step * i;
            var bad = SliceUnits.Tally(def.Budgeting, units.Where(u => u.End > budget.Start && u.End <= t)).Bad;
            var ideal = 1 - (t - start) / budget.Period.Length;
            result.Add(new BurnDownPoint(t, (double)ErrorBudget.Remaining(budget.Allowed, bad), ideal));
        }
        return result;
    }
}
