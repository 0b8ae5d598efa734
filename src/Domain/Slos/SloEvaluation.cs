namespace Sre.Domain.Slos;

/// <summary>
/// Compares an SLO's status with the alert states last recorded on its stream and answers the transitions:
/// each raise, clear, exhaustion and restoration is recorded once, when it happens.
/// </summary>
public static class SloEvaluation
{
    public const string Evaluator = "evaluator";

    public static IReadOnlyList<object> Transitions(Slo slo, SloStatus status, double exhaustedAtRemaining, DateTimeOffset now)
    {
        var events = new List<object>();
        var recorded = slo.FiringConditions.Select(c => c.Key).ToHashSet();
        var current = status.Conditions.ToDictionary(c => new BurnCondition(c.Severity, c.LongWindow, c.ShortWindow, c.Factor).Key);
        foreach (var (key, c) in current)
        {
            if (c.Firing && !recorded.Contains(key))
                events.Add(new BurnRateAlertRaised(c.Severity, c.LongWindow, c.ShortWindow, c.Factor, c.LongBurnRate ?? 0, c.ShortBurnRate ?? 0, now, Evaluator));
            else if (!c.Firing && recorded.Contains(key))
                events.Add(new BurnRateAlertCleared(c.Severity, c.LongWindow, c.ShortWindow, c.Factor, c.LongBurnRate, c.ShortBurnRate, now, Evaluator));
        }
        // Conditions that no longer exist (the definition changed) are cleared too.
        foreach (var stale in slo.FiringConditions.Where(c => !current.ContainsKey(c.Key)))
            events.Add(new BurnRateAlertCleared(stale.Severity, stale.LongWindow, stale.ShortWindow, stale.Factor, null, null, now, Evaluator));

        var exhausted = !status.NoData && status.Budget.Remaining <= exhaustedAtRemaining;
        if (exhausted && !slo.BudgetExhausted) events.Add(new ErrorBudgetExhausted(status.Budget.Remaining, now, Evaluator));
        if (!exhausted && slo.BudgetExhausted) events.Add(new ErrorBudgetRestored(status.Budget.Remaining, now, Evaluator));
        return events;
    }
}
