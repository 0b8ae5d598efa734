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
        var current = status.Conditions.ToDictionary(c => new BurnCondition(c.Severity, c.LongWindow, c.ShortWindow, c.Factor).Key);
        foreach (var (key, c) in current)
        {
            var recorded = slo.FiringConditions.Contains(key);
            if (c.Firing && !recorded)
                events.Add(new BurnRateAlertRaised(c.Severity, c.LongWindow, c.ShortWindow, c.Factor, c.LongBurnRate ?? 0, c.ShortBurnRate ?? 0, now, Evaluator));
            else if (!c.Firing && recorded)
                events.Add(new BurnRateAlertCleared(c.Severity, c.LongWindow, c.ShortWindow, c.Factor, c.LongBurnRate, c.ShortBurnRate, now, Evaluator));
        }
        // Conditions that no longer exist (the definition changed) are cleared too.
        foreach (var stale in slo.FiringConditions.Where(k => !current.ContainsKey(k)))
        {
            var parts = stale.Split(':', '/');
            if (Time.PromDuration.TryParse(parts[1], out var longWindow) && Time.PromDuration.TryParse(parts[2], out var shortWindow))
            {
                var factor = slo.History.SelectMany(h => h.Definition.Alerting.Conditions ?? []).FirstOrDefault(c => c.Key == stale)?.Factor ?? 0;
                events.Add(new BurnRateAlertCleared(parts[0], longWindow, shortWindow, factor, null, null, now, Evaluator));
            }
        }

        var exhausted = !status.NoData && status.Budget.Remaining <= exhaustedAtRemaining;
        if (exhausted && !slo.BudgetExhausted) events.Add(new ErrorBudgetExhausted(status.Budget.Remaining, now, Evaluator));
        if (!exhausted && slo.BudgetExhausted) events.Add(new ErrorBudgetRestored(status.Budget.Remaining, now, Evaluator));
        return events;
    }
}
