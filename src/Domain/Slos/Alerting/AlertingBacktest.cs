namespace Sre.Domain.Slos.Alerting;

/// <summary>An alert a strategy would have raised: from the first evaluation at which its rule fired to the first at
/// which it no longer did (null: still firing at the end of the range). <see cref="Rule"/> is the condition's key.</summary>
public sealed record BacktestAlert(string Severity, string Rule, DateTimeOffset Start, DateTimeOffset? End);

/// <summary>What one strategy would have done over the range: its rules, its alerts in order of start, how many pages
/// and tickets, and its quality against the budget events of the range.</summary>
public sealed record StrategyBacktest(
    AlertingStrategyKind Kind, IReadOnlyList<AlertRule> Rules, IReadOnlyList<BacktestAlert> Alerts, int Pages, int Tickets, AlertMeasures Measures);

/// <summary>A backtest: the evaluation instants (from, from + step, … up to to), the budget events, and each strategy's result.</summary>
public sealed record AlertingBacktestResult(
    DateTimeOffset From, DateTimeOffset To, TimeSpan Step, IReadOnlyList<BudgetEvent> Events, IReadOnlyList<StrategyBacktest> Strategies);

/// <summary>
/// Simulates alerting strategies over an SLO's stored slices, as an evaluator running every <c>step</c> from
/// <c>from</c> to <c>to</c> would have seen them (with the data as stored: hindsight, late data included), and measures
/// each against the budget events of the range (<see cref="BudgetEvents"/>, <see cref="AlertMeasures"/>).
/// A rule of the SLO's own conditions fires when <see cref="SloCalculator.Fires"/> says so, on the tallies the live
/// evaluator sums, so its alerts start and end at the instants <see cref="SloEvaluation.Transitions"/> records
/// <see cref="BurnRateAlertRaised"/> and <see cref="BurnRateAlertCleared"/> when it evaluates at the same instants.
/// Nothing fires before <c>from</c>: an alert firing at <c>from</c> starts there. Tallies come from prefix sums and
/// windows that only slide forward, so the cost is linear in the slices and the steps. The definition is the one given
/// for the whole range. The slices must reach back to <c>from</c> − the longest window.
/// </summary>
public static class AlertingBacktest
{
    public static AlertingBacktestResult Run(SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> slices,
        DateTimeOffset from, DateTimeOffset to, TimeSpan step, IReadOnlyList<AlertingStrategy> strategies,
        IReadOnlyList<SignificanceRule>? significance = null, TimeSpan? grace = null)
    {
        if (step <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be positive.");
        var tallies = new SliceTallies(def, definedAt, slices);
        var events = BudgetEvents.Find(def, tallies, from, to, significance);
        var windows = new Dictionary<TimeSpan, SlidingWindow>();
        Tally Over(TimeSpan length, DateTimeOffset at) =>
            (windows.TryGetValue(length, out var w) ? w : windows[length] = new SlidingWindow(tallies, length)).At(at);

        var runs = strategies.Select(s => new StrategyRun(s)).ToList();
        IReadOnlyList<AlertRule>? own = null;
        TimeSpan ownPeriod = default;
        for (var at = from; at <= to; at += step)
        {
            foreach (var run in runs)
            {
                var rules = run.Strategy.Rules;
                if (run.Strategy.OwnConditions)
                {
                    // As SloCalculator.FromTallies takes them: the definition's, else the table scaled to the period at this instant.
                    var period = SloPeriod.At(def.Window, at).Length;
                    if (own is null || period != ownPeriod)
                        (own, ownPeriod) = ((def.Alerting.Conditions ?? BurnRateMath.DefaultConditions(period)).Select(c => new AlertRule(c)).ToList(), period);
                    rules = own;
                }
                foreach (var rule in rules)
                    run.Step(rule, at, Holds(def, rule, Over(rule.Condition.LongWindow, at), Over(rule.Condition.ShortWindow, at)));
            }
        }

        var gracePeriod = grace ?? AlertMeasures.DefaultGrace;
        return new AlertingBacktestResult(from, to, step, events, runs.Select(r =>
        {
            var alerts = r.Alerts();
            return new StrategyBacktest(r.Strategy.Kind, r.Strategy.OwnConditions ? own ?? [] : r.Strategy.Rules, alerts,
                alerts.Count(a => a.Severity == "page"), alerts.Count(a => a.Severity == "ticket"),
                AlertMeasures.Of(alerts, events, gracePeriod));
        }).ToList());
    }

    /// <summary>Whether a rule holds on the tallies of its windows ending at one instant; the SLO's conditions through the live evaluator's function.</summary>
    public static bool Holds(SloDefinition def, AlertRule rule, Tally longTally, Tally shortTally) => rule.AtLeast
        ? longTally.Total >= Math.Max(1, def.Alerting.MinEvents)
            && ErrorBudget.BurnsAtLeast(def, rule.Condition.LongWindow, longTally, rule.Condition.Factor)
            && ErrorBudget.BurnsAtLeast(def, rule.Condition.ShortWindow, shortTally, rule.Condition.Factor)
        : SloCalculator.Fires(def, rule.Condition, longTally, shortTally);

    // The state of each rule of one strategy, by the condition's key (as the live evaluator records them).
    private sealed class StrategyRun(AlertingStrategy strategy)
    {
        private readonly Dictionary<string, (DateTimeOffset? Holding, BacktestAlert? Firing)> state = [];
        private readonly Dictionary<AlertRule, string> keys = new(ReferenceEqualityComparer.Instance); // a key is formatted once
        private readonly List<BacktestAlert> done = [];

        public AlertingStrategy Strategy => strategy;

        public void Step(AlertRule rule, DateTimeOffset at, bool holds)
        {
            if (!keys.TryGetValue(rule, out var key)) keys[rule] = key = rule.Condition.Key;
            var (holding, firing) = state.GetValueOrDefault(key);
            if (!holds)
            {
                if (firing is not null) done.Add(firing with { End = at });
                state[key] = (null, null);
                return;
            }
            holding ??= at;
            if (firing is null && at - holding.Value >= rule.For) firing = new BacktestAlert(rule.Condition.Severity, key, at, null);
            state[key] = (holding, firing);
        }

        public IReadOnlyList<BacktestAlert> Alerts() =>
            done.Concat(state.Values.Where(s => s.Firing is not null).Select(s => s.Firing!))
                .OrderBy(a => a.Start).ThenBy(a => a.Rule, StringComparer.Ordinal).ToList();
    }
}
