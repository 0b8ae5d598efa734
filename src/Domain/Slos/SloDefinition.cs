namespace Sre.Domain.Slos;

public enum SliKind
{
    Availability,
    Latency,
    Freshness,
    Correctness,
    Durability,
    Rate,
}

/// <summary>How a threshold SLI's value is compared with the objective's value (OpenSLO <c>objectives[].op</c>).</summary>
public enum ThresholdOp
{
    Lt,
    Lte,
    Gt,
    Gte,
}

/// <summary>
/// What an SLI counts. Latency and freshness carry their threshold (a request or datum is good under it);
/// rate SLIs carry their rule; a Prometheus-backed SLI carries its PromQL: good (or bad) and total (OpenSLO
/// <c>ratioMetric</c>), each a per-second rate with Sloth's <c>{{.window}}</c> placeholder for its range; a rate SLI
/// needs the total only; a threshold SLI (OpenSLO <c>thresholdMetric</c>) one query giving a value per slice (a p99
/// latency in seconds, a queue's age), and a slice is good when that value meets <see cref="Op"/> <see cref="Value"/>
/// (OpenSLO <c>objectives[].op</c> and <c>value</c>). When a Prometheus data source is configured (or
/// <see cref="DataSource"/> names one), the service pulls the SLI's slices itself (docs/design.md, "Pulling SLIs from
/// Prometheus"); otherwise the queries only shape the generated recording rules and slices are pushed.
/// </summary>
/// <param name="Kind">What the SLI measures.</param>
/// <param name="Threshold">A latency or freshness SLI's threshold: an event is good under it.</param>
/// <param name="Rate">A rate SLI's rule.</param>
/// <param name="GoodQuery">PromQL: good events per second.</param>
/// <param name="TotalQuery">PromQL: all events per second.</param>
/// <param name="BadQuery">PromQL: bad events per second (instead of <paramref name="GoodQuery"/>; good = total - bad).</param>
/// <param name="DataSource">The Prometheus data source to pull from (OpenSLO <c>metricSourceRef</c>); null: the default one.</param>
/// <param name="HistoryFrom">Where a pulled SLI's history starts; null: the start of the window that ends when it is first pulled.</param>
/// <param name="ThresholdQuery">PromQL: the value judged per slice (a threshold SLI, OpenSLO <c>thresholdMetric</c>).</param>
/// <param name="Op">A threshold SLI's comparison: a slice is good when its value <c>op</c> <paramref name="Value"/>.</param>
/// <param name="Value">A threshold SLI's threshold, in the query's units (seconds for a latency).</param>
/// <param name="SliceLength">The length of a pulled slice (10s to 1h, whole seconds); null: the data source's.</param>
public sealed record SliSpec(
    SliKind Kind,
    TimeSpan? Threshold = null,
    RateRule? Rate = null,
    string? GoodQuery = null,
    string? TotalQuery = null,
    string? BadQuery = null,
    string? DataSource = null,
    DateTimeOffset? HistoryFrom = null,
    string? ThresholdQuery = null,
    ThresholdOp? Op = null,
    double? Value = null,
    TimeSpan? SliceLength = null)
{
    /// <summary>
    /// True when the SLI is PromQL the service can pull: a total, and good or bad unless it is a rate SLI; or a threshold
    /// query with its comparison.
    /// </summary>
    public bool IsPromQl => IsThreshold
        || (TotalQuery is not null && (Kind == SliKind.Rate || GoodQuery is not null || BadQuery is not null));

    /// <summary>True for a threshold SLI: one query, judged per slice against <see cref="Value"/>.</summary>
    public bool IsThreshold => ThresholdQuery is not null && Op is not null && Value is not null;

    /// <summary>
    /// The same queries, comparison and source: a change of any of them pulls the history again. A new slice length does
    /// not: the pull goes on from where it stopped, in slices of the new length.
    /// </summary>
    public bool SamePullAs(SliSpec other) =>
        (GoodQuery, BadQuery, TotalQuery, DataSource, HistoryFrom, ThresholdQuery, Op, Value)
        == (other.GoodQuery, other.BadQuery, other.TotalQuery, other.DataSource, other.HistoryFrom, other.ThresholdQuery, other.Op, other.Value);

    /// <summary>Whether a threshold SLI's value meets its comparison (exactly, as doubles).</summary>
    public static bool Meets(double value, ThresholdOp op, double threshold) => op switch
    {
        ThresholdOp.Lt => value < threshold,
        ThresholdOp.Lte => value <= threshold,
        ThresholdOp.Gt => value > threshold,
        _ => value >= threshold,
    };
}

/// <summary>A slice of a rate SLI is good when its rate is at least the minimum and has not dropped by more than MaxDrop since DropWindow ago.</summary>
public sealed record RateRule(double MinPerMinute, double? MaxDrop = null, TimeSpan? DropWindow = null);

public enum WindowKind
{
    Rolling,
    Calendar,
}

public enum CalendarUnit
{
    Week,
    Month,
    Quarter,
}

/// <summary>Rolling (a duration ending now) or calendar (the current week, month or quarter in an IANA time zone).</summary>
public sealed record SloWindow(WindowKind Kind, TimeSpan? Duration = null, CalendarUnit? Unit = null, string? TimeZone = null)
{
    public static SloWindow Rolling(TimeSpan duration) => new(WindowKind.Rolling, duration);
    public static SloWindow Calendar(CalendarUnit unit, string timeZone = "UTC") => new(WindowKind.Calendar, null, unit, timeZone);
}

public enum BudgetingMethod
{
    Occurrences,
    Timeslices,
    RatioTimeslices,
}

/// <summary>OpenSLO budgeting: Occurrences weighs events; Timeslices counts good slices; RatioTimeslices averages slice ratios.</summary>
public sealed record Budgeting(BudgetingMethod Method, TimeSpan? SliceLength = null, double? SliceTarget = null)
{
    public static readonly Budgeting Occurrences = new(BudgetingMethod.Occurrences);
}

/// <summary>Fires when the burn rate over both windows exceeds the factor.</summary>
public sealed record BurnCondition(string Severity, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor)
{
    public string Key => $"{Severity}:{Time.PromDuration.Format(LongWindow)}/{Time.PromDuration.Format(ShortWindow)}";
}

/// <summary>Burn-rate conditions (null: the workbook's table scaled to the period) and the events a window needs before it may alert.</summary>
public sealed record AlertingOptions(IReadOnlyList<BurnCondition>? Conditions = null, long MinEvents = 0)
{
    public static readonly AlertingOptions Default = new();
}

public sealed record SloDefinition(
    string Name,
    string Service,
    string? Description,
    SliSpec Sli,
    double Target,
    SloWindow Window,
    Budgeting Budgeting,
    Dictionary<string, string> Labels,
    AlertingOptions Alerting)
{
    /// <summary>True when everything but target and window is the same.</summary>
    public bool SameDetailsAs(SloDefinition other) =>
        this with { Target = other.Target, Window = other.Window, Labels = other.Labels, Alerting = other.Alerting } == other
        && Labels.Count == other.Labels.Count && !Labels.Except(other.Labels).Any()
        && Alerting.MinEvents == other.Alerting.MinEvents
        && (Alerting.Conditions ?? []).SequenceEqual(other.Alerting.Conditions ?? []);
}
