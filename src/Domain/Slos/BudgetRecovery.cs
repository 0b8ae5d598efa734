namespace Sre.Domain.Slos;

/// <summary>When an exhausted budget comes back if no more errors (and no more events) happen.</summary>
public static class BudgetRecovery
{
    /// <summary>
    /// Rolling windows: the first instant at which enough old bad units have slid out of the window for the
    /// remaining budget to rise above <paramref name="threshold"/>. Calendar windows: the next period.
    /// Null when the budget is not exhausted now.
    /// </summary>
    public static DateTimeOffset? When(SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> slices,
        DateTimeOffset now, double threshold)
    {
        var (period, start, sli, allowed) = SloCalculator.Budget(def, definedAt, now, SloCalculator.Tallies(def, definedAt, slices, now));
        if (sli.NoData || (double)ErrorBudget.Remaining(allowed, sli.Bad) > threshold) return null;
        if (def.Window.Kind == WindowKind.Calendar) return period.End;

        var units = SliceUnits.Counted(def.Budgeting, SliceUnits.Of(def, slices.Where(s => s.Start >= definedAt && s.End <= now).ToList()))
            .Where(u => u.End > start)
            .OrderBy(u => u.End)
            .ToList();
        var left = new Tally(units.Sum(u => u.Good), units.Sum(u => u.Total));
        foreach (var leaving in units)
        {
            left = new Tally(left.Good - leaving.Good, left.Total - leaving.Total);
            var remaining = ErrorBudget.Remaining(ErrorBudget.Allowed(def.Target, ErrorBudget.Units(def, period.Length, left)), left.Bad);
            if ((double)remaining > threshold) return leaving.End + period.Length;
        }
        return now;
    }
}
