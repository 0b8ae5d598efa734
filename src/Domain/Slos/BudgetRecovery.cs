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
        var status = SloCalculator.Compute(def, definedAt, slices, now);
        if (status.NoData || status.Budget.Remaining > threshold) return null;
        var period = SloPeriod.At(def.Window, now);
        if (def.Window.Kind == WindowKind.Calendar) return period.End;

        var units = SliceUnits.Counted(def.Budgeting, SliceUnits.Of(def, slices.Where(s => s.Start >= definedAt && s.End <= now).ToList()))
            .Where(u => u.End > status.PeriodStart)
            .OrderBy(u => u.End)
            .ToList();
        double good = units.Sum(u => u.Good), total = units.Sum(u => u.Total);
        foreach (var leaving in units)
        {
            good -= leaving.Good;
            total -= leaving.Total;
            var remaining = total <= 0 ? 1 : 1 - (total - good) / ((1 - def.Target) * total);
            if (remaining > threshold) return leaving.End + period.Length;
        }
        return now;
    }
}
