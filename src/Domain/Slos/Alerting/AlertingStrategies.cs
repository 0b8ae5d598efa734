namespace Sre.Domain.Slos.Alerting;

/// <summary>The six ways to alert on an SLO of the SRE workbook, ch. 5 "Alerting on SLOs", simplest first.</summary>
public enum AlertingStrategyKind
{
    /// <summary>1: error rate ≥ the error budget (burn rate ≥ 1) over a short window (10m).</summary>
    ShortWindow = 1,

    /// <summary>2: the same over a long window (36h).</summary>
    LongWindow = 2,

    /// <summary>3: the same as 1 with an alert duration (<c>for: 1h</c>).</summary>
    AlertDuration = 3,

    /// <summary>4: one burn-rate threshold over one window (36 over 1h for 30 days: 5% of the budget in an hour).</summary>
    BurnRate = 4,

    /// <summary>5: several burn-rate thresholds with severities (14.4 over 1h and 6 over 6h page, 1 over 3d tickets).</summary>
    MultipleBurnRates = 5,

    /// <summary>6: multi-window, multi-burn-rate: the SLO's own conditions (<see cref="AlertingOptions.Conditions"/>, else the workbook's table).</summary>
    MultiWindowMultiBurnRate = 6,
}

/// <summary>
/// One alerting rule: it holds at an evaluation instant when the window (and the short window) of
/// <see cref="Condition"/> hold at least the alerting minimum of valid events and burn faster than its factor
/// (at least the factor when <see cref="AtLeast"/>), and it fires once it has held at every evaluation for
/// <see cref="For"/> (Prometheus's <c>for:</c>). A single-window rule has its short window equal to its long one.
/// </summary>
public sealed record AlertRule(BurnCondition Condition, bool AtLeast = false, TimeSpan For = default);

/// <summary>Overrides of a strategy's defaults; null keeps the default. Windows and durations are time spans, factors burn rates.</summary>
/// <param name="Window">Strategies 1–4: the window.</param>
/// <param name="For">Strategy 3: how long the condition must hold before it fires.</param>
/// <param name="Factor">Strategies 1–4: the burn rate (1 is an error rate equal to the budget).</param>
/// <param name="Severity">Strategies 1–4: the severity of its alerts (page or ticket).</param>
/// <param name="Conditions">Strategies 5 and 6: the conditions (strategy 5 uses only their long windows).</param>
public sealed record StrategyOverrides(
    TimeSpan? Window = null, TimeSpan? For = null, double? Factor = null, string? Severity = null, IReadOnlyList<BurnCondition>? Conditions = null);

/// <summary>A strategy as the backtest runs it: its rules, or (<see cref="OwnConditions"/>) the SLO's own conditions at each instant, as the live evaluator takes them.</summary>
public sealed record AlertingStrategy(AlertingStrategyKind Kind, IReadOnlyList<AlertRule> Rules, bool OwnConditions = false);

/// <summary>
/// The workbook's six strategies with its parameters (ch. 5), factors derived from the SLO's period rather than typed
/// in (<see cref="BurnRateMath.Factor"/>): for 30 days, 5% in 1h is 36; 2% in 1h, 5% in 6h and 10% in 3d are 14.4, 6 and 1.
/// Strategies 1–3 compare with "≥" (error rate at or above the budget), 4–6 with "&gt;" as the live evaluator does.
/// The workbook's strategy 3 uses a 1-minute error rate; here it is strategy 1 plus a duration (override the window).
/// </summary>
public static class AlertingStrategies
{
    public static readonly TimeSpan ShortWindow = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan LongWindow = TimeSpan.FromHours(36);
    public static readonly TimeSpan Duration = TimeSpan.FromHours(1);

    public static IReadOnlyList<AlertingStrategyKind> All => Enum.GetValues<AlertingStrategyKind>();

    /// <summary>A strategy with its defaults for an SLO whose period is <paramref name="period"/>, and the overrides given.</summary>
    public static AlertingStrategy Of(AlertingStrategyKind kind, TimeSpan period, StrategyOverrides? overrides = null)
    {
        var o = overrides ?? new StrategyOverrides();
        AlertRule Single(TimeSpan window, double factor, bool atLeast, TimeSpan duration = default) =>
            new(new BurnCondition(o.Severity ?? "page", o.Window ?? window, o.Window ?? window, o.Factor ?? factor), atLeast, o.For ?? duration);
        return kind switch
        {
            AlertingStrategyKind.ShortWindow => new(kind, [Single(ShortWindow, 1, atLeast: true)]),
            AlertingStrategyKind.LongWindow => new(kind, [Single(LongWindow, 1, atLeast: true)]),
            AlertingStrategyKind.AlertDuration => new(kind, [Single(ShortWindow, 1, atLeast: true, Duration)]),
            AlertingStrategyKind.BurnRate => new(kind, [Single(TimeSpan.FromHours(1), Round(BurnRateMath.Factor(0.05, period, TimeSpan.FromHours(1))), atLeast: false)]),
            AlertingStrategyKind.MultipleBurnRates => new(kind, (o.Conditions ?? MultipleBurnRates(period))
                .Select(c => new AlertRule(c with { ShortWindow = c.LongWindow })).ToList()),
            AlertingStrategyKind.MultiWindowMultiBurnRate => o.Conditions is { } own
                ? new(kind, own.Select(c => new AlertRule(c)).ToList())
                : new(kind, [], OwnConditions: true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown strategy."),
        };
    }

    /// <summary>Strategy 5's table: 2% in 1h and 5% in 6h page, 10% in 3d tickets (14.4, 6 and 1 for 30 days).</summary>
    public static IReadOnlyList<BurnCondition> MultipleBurnRates(TimeSpan period) =>
    [
        Condition("page", TimeSpan.FromHours(1), 0.02, period),
        Condition("page", TimeSpan.FromHours(6), 0.05, period),
        Condition("ticket", TimeSpan.FromDays(3), 0.10, period),
    ];

    private static BurnCondition Condition(string severity, TimeSpan window, double share, TimeSpan period) =>
        new(severity, window, window, Round(BurnRateMath.Factor(share, period, window)));

    // Keeps 14.4 from printing as 14.399999999999999, as BurnRateMath.DefaultConditions does.
    private static double Round(double factor) => Math.Round(factor, 6);
}
