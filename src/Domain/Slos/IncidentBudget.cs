namespace Sre.Domain.Slos;

/// <summary>The share of an SLO's budget spent between an incident's start and its end (or now).</summary>
public static class IncidentBudget
{
    /// <summary>Bad units in (from, to] over the budget the period allows at <paramref name="to"/>; 0 without data.</summary>
    public static double Spent(SloDefinition def, DateTimeOffset definedAt, IReadOnlyList<SliceObservation> slices, DateTimeOffset from, DateTimeOffset to)
    {
        var units = SliceUnits.Of(def, slices.Where(s => s.Start >= definedAt && s.End <= to).OrderBy(s => s.End).ToList());
        var period = SloPeriod.At(def.Window, to);
        var periodStart = period.Start > definedAt ? period.Start : definedAt;
        var sli = SliceUnits.Tally(def.Budgeting, units.Where(u => u.End > periodStart));
        var allowed = ErrorBudget.Allowed(def.Target, ErrorBudget.Units(def, period.Length, sli));
        if (allowed <= 0) return 0;
        var during = SliceUnits.Tally(def.Budgeting, units.Where(u => u.End > from));
        return (double)(during.Bad / allowed);
    }
}
