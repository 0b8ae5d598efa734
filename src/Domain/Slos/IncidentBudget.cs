namespace Sre.Domain.Slos;

/// <summary>The share of an SLO's budget spent between an incident's start and its end (or now).</summary>
public static class IncidentBudget
{
    /// <summary>Bad units in (from, to] over the budget the period allows at <paramref name="to"/>; 0 without data.</summary>
    public static double Spent(SloDefinition def, DateTimeOffset definedAt, IReadOnlyList<SliceObservation> slices, DateTimeOffset from, DateTimeOffset to)
    {
        var over = SloCalculator.Tallies(def, definedAt, slices, to);
        var allowed = SloCalculator.Budget(def, definedAt, to, over).Allowed;
        return allowed <= 0 ? 0 : (double)(over(from).Bad / allowed);
    }
}
