using Sre.Domain.Slos;

namespace Sre.Domain.Tests.Slos;

/// <summary>The composite SLO as OpenSLO weighs its objectives, against hand computations.</summary>
public class CompositeBudgetTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ObjectivePart Part(string name, double weight, double remaining, double? ratio, double? burn1h) => new(
        $"checkout.{name}", new SloObjective("checkout", name, null, weight, Composite: true),
        new SloStatus($"checkout.{name}", "shop", At, 0.99, SloWindow.Rolling(TimeSpan.FromDays(28)), BudgetingMethod.Occurrences, At.AddDays(-28),
            TimeSpan.FromDays(28), ratio is null, ratio is { } r ? new Tally((decimal)r * 1000, 1000) : Tally.Empty,
            new BudgetState(10, 10 * (1 - remaining), remaining),
            [new WindowBurn(TimeSpan.FromHours(1), 0, 0, null, burn1h), new WindowBurn(TimeSpan.FromMinutes(5), 0, 0, null, null)],
            null, [], false, false));

    [Fact]
    public void the_budget_and_burn_rates_are_the_weighted_sums_of_what_each_objective_misses()
    {
        // Objective a: 0.4 of its budget left, SLI 0.995, burning at 2; b (weight 0.5): 0.8 left, SLI 0.99, burning at 4.
        var status = CompositeBudget.Combine("checkout", [Part("a", 1, 0.4, 0.995, 2), Part("b", 0.5, 0.8, 0.99, 4)]);

        // remaining = 1 − (1 × 0.6 + 0.5 × 0.2) = 0.3; SLI = 1 − (1 × 0.005 + 0.5 × 0.01) = 0.99; burn 1h = 1 × 2 + 0.5 × 4 = 4.
        Assert.Equal(0.3, status.RemainingBudget, 12);
        Assert.Equal(0.99, status.Sli!.Value, 12);
        Assert.Equal(4, status.BurnRates.Single(b => b.Window == TimeSpan.FromHours(1)).BurnRate);
        Assert.Null(status.BurnRates.Single(b => b.Window == TimeSpan.FromMinutes(5)).BurnRate);
        Assert.False(status.Exhausted);
    }

    [Fact]
    public void two_objectives_at_95_percent_make_a_composite_at_90()
    {
        var status = CompositeBudget.Combine("checkout", [Part("a", 1, 0.5, 0.95, null), Part("b", 1, 0.5, 0.95, null)]);

        Assert.Equal(0.90, status.Sli!.Value, 12);
    }

    [Fact]
    public void a_composite_spent_to_the_last_unit_is_exhausted_though_no_objective_is()
    {
        // Each objective has half its budget left; with weight 2 on one, the composite has exactly none.
        var status = CompositeBudget.Combine("checkout", [Part("a", 1, 0.5, 0.99, 1), Part("b", 2, 0.75, 0.99, 1)]);

        Assert.Equal(0, status.RemainingBudget);
        Assert.True(status.Exhausted);
    }
}
