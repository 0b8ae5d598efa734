namespace Sre.Domain.Slos;

/// <summary>One objective of an OpenSLO SLO of several, with its weight (<c>compositeWeight</c>, default 1) and its status.</summary>
public sealed record ObjectivePart(string Name, SloObjective Objective, SloStatus Status);

/// <summary>An objective as the composite counts it: its weight, remaining budget, SLI and 1h burn rate.</summary>
public sealed record ObjectiveNumbers(string Name, string Objective, string? DisplayName, double Weight, bool NoData, double RemainingBudget,
    double? Sli, double? BurnRate1h);

/// <summary>The burn rate of the composite over one window: the weighted sum of its objectives' (null when none has data).</summary>
public sealed record CompositeBurn(TimeSpan Window, double? BurnRate);

/// <summary>
/// The numbers of a composite SLO (OpenSLO v1, "Composite SLO": objectives each with their own indicator and
/// <c>compositeWeight</c>): remaining budget 1 − Σ wᵢ·(1 − remainingᵢ), SLI 1 − Σ wᵢ·(1 − SLIᵢ), burn rate Σ wᵢ·burn rateᵢ per
/// window; exhausted when the remaining budget is 0 or below.
/// </summary>
public sealed record CompositeStatus(string Slo, double RemainingBudget, double? Sli, bool Exhausted, IReadOnlyList<CompositeBurn> BurnRates,
    IReadOnlyList<ObjectiveNumbers> Objectives);

/// <summary>
/// The composite SLO's budget as the OpenSLO specification weighs it ("Notes (Composite SLO)"): the composite burns when any
/// objective burns; with Occurrences an objective's burn rate, multiplied by its weight, is the rate at which it burns the
/// composite; with RatioTimeslices each objective's missing part, multiplied by its weight, is missing from the composite
/// (two objectives at 95% make a composite at 90%). The service applies the same sum to Timeslices, where the specification
/// makes a slice bad for the composite when it is bad for any objective: a slice bad for two objectives counts for both.
/// Pure, and exact in decimals: a composite spent to the last unit is exhausted.
/// </summary>
public static class CompositeBudget
{
    public static CompositeStatus Combine(string slo, IReadOnlyList<ObjectivePart> parts)
    {
        decimal W(ObjectivePart p) => (decimal)p.Objective.CompositeWeight;
        var remaining = 1 - parts.Sum(p => W(p) * (1 - (decimal)p.Status.Budget.Remaining));
        decimal? sli = parts.All(p => p.Status.Sli.Ratio is not null) ? 1 - parts.Sum(p => W(p) * (1 - (decimal)p.Status.Sli.Ratio!.Value)) : null;
        var windows = parts.SelectMany(p => p.Status.BurnRates.Select(b => b.Window)).Distinct().Order();
        var burns = windows.Select(w =>
        {
            var rates = parts.Select(p => (Weight: W(p), Rate: p.Status.BurnRates.FirstOrDefault(b => b.Window == w)?.BurnRate)).ToList();
            return new CompositeBurn(w, rates.All(r => r.Rate is null) ? null : (double)rates.Sum(r => r.Weight * (decimal)(r.Rate ?? 0)));
        }).ToList();
        var objectives = parts.Select(p => new ObjectiveNumbers(p.Name, p.Objective.Name, p.Objective.DisplayName, p.Objective.CompositeWeight,
            p.Status.NoData, p.Status.Budget.Remaining, p.Status.Sli.Ratio, SloCalculator.HourBurnRate(p.Status.BurnRates))).ToList();
        return new CompositeStatus(slo, (double)remaining, (double?)sli, remaining <= 0, burns, objectives);
    }
}
