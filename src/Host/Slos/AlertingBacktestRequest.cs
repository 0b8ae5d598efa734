using Sre.Domain;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;

namespace Sre.Host.Slos;

/// <summary>
/// A backtest asked for: the range (RFC 3339 instants, <c>from</c> &lt; <c>to</c>, at most 400 days, within the SLO's
/// history and not in the future), the evaluation step (1m to 1h, default 1m), the strategies (default: the six with
/// their defaults), the significance rules of budget events (default 2% of the budget within 1h) and the grace period
/// an alert may start after an event's end and still count for it (default 1h). Durations as Prometheus writes them.
/// </summary>
public sealed record AlertingBacktestRequest(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    TimeSpan? Step = null,
    IReadOnlyList<BacktestStrategyRequest>? Strategies = null,
    IReadOnlyList<SignificanceRuleRequest>? Significance = null,
    TimeSpan? Grace = null)
{
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);
    public static readonly TimeSpan MinStep = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxStep = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(30);
    private const int MaxStrategies = 20, MaxConditions = 20, MaxRules = 10;

    public TimeSpan StepOrDefault => Step ?? MinStep;

    /// <summary>What is wrong with the request for this SLO at <paramref name="now"/>, each error named by its field.</summary>
    public Dictionary<string, string[]> Check(Slo slo, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors.TryAdd(field, [message]);

        if (From is null) Error("from", "is required (an RFC 3339 instant).");
        if (To is null) Error("to", "is required (an RFC 3339 instant).");
        if (From is { } from && To is { } to)
        {
            if (from >= to) Error("from", "must be before to.");
            else if (to - from > MaxRange) Error("to", $"must be at most {MaxRange.TotalDays:N0} days after from.");
            if (from < slo.CountsFrom) Error("from", $"is before the SLO's history, which starts at {slo.CountsFrom:O}.");
            if (to > now) Error("to", "is in the future.");
        }
        if (Step is { } step && (step < MinStep || step > MaxStep)) Error("step", "must be between 1m and 1h.");
        if (Grace is { } grace && (grace < TimeSpan.Zero || grace > MaxGrace)) Error("grace", "must be between 0s and 30d.");

        if (Strategies is { Count: 0 or > MaxStrategies }) Error("strategies", $"must hold 1 to {MaxStrategies} strategies, or be left out for all six.");
        for (var i = 0; i < (Strategies?.Count ?? 0); i++)
        {
            if (Strategies![i] is { } s) s.Check($"strategies[{i}]", Error);
            else Error($"strategies[{i}]", "must be a strategy.");
        }

        if (Significance is { Count: 0 or > MaxRules }) Error("significance", $"must hold 1 to {MaxRules} rules, or be left out for 2% within 1h.");
        for (var i = 0; i < (Significance?.Count ?? 0); i++)
        {
            var rule = Significance![i];
            if (rule?.Share is not (> 0 and <= 1)) Error($"significance[{i}].share", "must be above 0 and at most 1 (0.02 is 2% of the budget).");
            if (rule?.Within is not { } within || within < MinStep || within > MaxWindow) Error($"significance[{i}].within", "must be between 1m and 400d.");
        }
        return errors;
    }

    /// <summary>The strategies to run, for an SLO whose period is <paramref name="period"/>; call after <see cref="Check"/>.</summary>
    public IReadOnlyList<AlertingStrategy> ToStrategies(TimeSpan period) =>
        Strategies is null
            ? AlertingStrategies.All.Select(k => AlertingStrategies.Of(k, period)).ToList()
            : Strategies.Select(s => AlertingStrategies.Of(EnumText.Parse<AlertingStrategyKind>(s.Kind)!.Value, period, s.ToOverrides())).ToList();

    public IReadOnlyList<SignificanceRule> ToSignificance() =>
        Significance?.Select(r => new SignificanceRule(r.Share!.Value, r.Within!.Value)).ToList() ?? SignificanceRule.Default;

    internal static void CheckWindow(string field, TimeSpan? window, Action<string, string> error)
    {
        if (window is { } w && (w < MinStep || w > MaxWindow)) error(field, "must be between 1m and 400d.");
    }
}

/// <summary>
/// One strategy of the SRE workbook, ch. 5: <c>kind</c> (shortWindow, longWindow, alertDuration, burnRate,
/// multipleBurnRates, multiWindowMultiBurnRate) and the overrides that apply to it: <c>window</c>, <c>factor</c> and
/// <c>severity</c> for the first four, <c>for</c> for alertDuration, <c>conditions</c> for the last two.
/// </summary>
public sealed record BacktestStrategyRequest(
    string? Kind = null, TimeSpan? Window = null, TimeSpan? For = null, double? Factor = null, string? Severity = null,
    IReadOnlyList<BurnConditionRequest>? Conditions = null)
{
    private static readonly string Kinds = string.Join(", ", AlertingStrategies.All.Select(EnumText.Name));

    public void Check(string at, Action<string, string> error)
    {
        if (EnumText.Parse<AlertingStrategyKind>(Kind) is not { } kind)
        {
            error($"{at}.kind", $"must be one of {Kinds}.");
            return;
        }
        var single = kind <= AlertingStrategyKind.BurnRate;
        var name = EnumText.Name(kind);
        void NotFor(string field, bool given) { if (given) error($"{at}.{field}", $"does not apply to {name}."); }

        NotFor("window", !single && Window is not null);
        NotFor("factor", !single && Factor is not null);
        NotFor("severity", !single && Severity is not null);
        NotFor("for", kind != AlertingStrategyKind.AlertDuration && For is not null);
        NotFor("conditions", single && Conditions is not null);
        AlertingBacktestRequest.CheckWindow($"{at}.window", Window, error);
        if (For is { } f && (f < TimeSpan.Zero || f > TimeSpan.FromDays(7))) error($"{at}.for", "must be between 0s and 7d.");
        if (Factor is { } factor && factor is not (> 0 and <= SloRules.MaxFactor)) error($"{at}.factor", $"must be above 0 and at most {SloRules.MaxFactor:G}.");
        if (Severity is not (null or "page" or "ticket")) error($"{at}.severity", "must be page or ticket.");
        if (Conditions is { Count: 0 or > 20 }) error($"{at}.conditions", "must hold 1 to 20 conditions.");
        for (var i = 0; i < (Conditions?.Count ?? 0); i++)
            (Conditions![i] ?? new BurnConditionRequest()).Check($"{at}.conditions[{i}]", multiWindow: kind == AlertingStrategyKind.MultiWindowMultiBurnRate, error);
    }

    public StrategyOverrides ToOverrides() => new(Window, For, Factor, Severity,
        Conditions?.Select(c => new BurnCondition(c.Severity!, c.LongWindow!.Value, c.ShortWindow ?? c.LongWindow!.Value, c.Factor!.Value)).ToList());
}

/// <summary>A burn-rate condition: severity (page or ticket), long and short windows, factor (burn rate). multipleBurnRates uses the long window alone.</summary>
public sealed record BurnConditionRequest(string? Severity = null, TimeSpan? LongWindow = null, TimeSpan? ShortWindow = null, double? Factor = null)
{
    public void Check(string at, bool multiWindow, Action<string, string> error)
    {
        if (Severity is not ("page" or "ticket")) error($"{at}.severity", "must be page or ticket.");
        if (LongWindow is null) error($"{at}.longWindow", "is required.");
        AlertingBacktestRequest.CheckWindow($"{at}.longWindow", LongWindow, error);
        AlertingBacktestRequest.CheckWindow($"{at}.shortWindow", ShortWindow, error);
        if (multiWindow && ShortWindow is null) error($"{at}.shortWindow", "is required.");
        if (multiWindow && ShortWindow >= LongWindow) error($"{at}.shortWindow", "must be shorter than the long window.");
        if (Factor is not (> 0 and <= SloRules.MaxFactor)) error($"{at}.factor", $"must be above 0 and at most {SloRules.MaxFactor:G}.");
    }
}

/// <summary>A significance rule: a share of the period's budget (0.02 is 2%) spent within a span (1h).</summary>
public sealed record SignificanceRuleRequest(double? Share = null, TimeSpan? Within = null);
