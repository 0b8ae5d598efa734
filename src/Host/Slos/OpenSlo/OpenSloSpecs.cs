namespace Sre.Host.Slos.OpenSlo;

/// <summary>The spec of a Service.</summary>
public sealed record ServiceSpec
{
    public string? Description { get; init; }
}

/// <summary>The spec of an SLO: its service, its indicator (inline or by reference), one time window, the budgeting
/// method, its objectives and its alert policies (inline, by alertPolicyRef, or by name alone).</summary>
public sealed record SloSpec
{
    public string? Description { get; init; }
    public string? Service { get; init; }
    public InlineIndicator? Indicator { get; init; }
    public string? IndicatorRef { get; init; }
    public List<TimeWindow?>? TimeWindow { get; init; }
    public string? BudgetingMethod { get; init; }
    public List<Objective?>? Objectives { get; init; }
    public List<AlertPolicyItem?>? AlertPolicies { get; init; }
}

/// <summary>An SLI written inside its SLO.</summary>
public sealed record InlineIndicator
{
    public OpenSloMetadata? Metadata { get; init; }
    public IndicatorSpec? Spec { get; init; }
}

/// <summary>The spec of an SLI: a ratio of good (or bad) to total, or a threshold on one metric.</summary>
public sealed record IndicatorSpec
{
    public string? Description { get; init; }
    public RatioMetric? RatioMetric { get; init; }
    public MetricQuery? ThresholdMetric { get; init; }
}

/// <summary>good or bad over total, or raw (a ratio already computed); counter says whether the queries count events.</summary>
public sealed record RatioMetric
{
    public bool? Counter { get; init; }
    public MetricQuery? Good { get; init; }
    public MetricQuery? Bad { get; init; }
    public MetricQuery? Total { get; init; }
    public MetricQuery? Raw { get; init; }
    public string? RawType { get; init; }
}

/// <summary>One side of a metric: where it comes from.</summary>
public sealed record MetricQuery
{
    public MetricSource? MetricSource { get; init; }
}

/// <summary>A metric source: its type (Prometheus, Datadog...) and a spec whose fields depend on the type (query for Prometheus).</summary>
public sealed record MetricSource
{
    public string? MetricSourceRef { get; init; }
    public string? Type { get; init; }
    public Dictionary<string, object?>? Spec { get; init; }
}

/// <summary>A rolling window (isRolling true, the default) or a calendar window starting at calendar.startTime in
/// calendar.timeZone.</summary>
public sealed record TimeWindow
{
    public string? Duration { get; init; }
    public bool? IsRolling { get; init; }
    public Calendar? Calendar { get; init; }
}

/// <summary>Where a calendar window starts.</summary>
public sealed record Calendar
{
    public string? StartTime { get; init; }
    public string? TimeZone { get; init; }
}

/// <summary>An objective: the target as a ratio (target) or a percent (targetPercent), and for timeslices the slice's
/// length and target.</summary>
public sealed record Objective
{
    public string? DisplayName { get; init; }
    public double? Target { get; init; }
    public double? TargetPercent { get; init; }
    public double? TimeSliceTarget { get; init; }
    public string? TimeSliceWindow { get; init; }

    /// <summary>A thresholdMetric's comparison: lt, lte, gt or gte.</summary>
    public string? Op { get; init; }

    /// <summary>A thresholdMetric's threshold, in the query's units.</summary>
    public double? Value { get; init; }
}

/// <summary>An SLO's alert policy: a reference (alertPolicyRef, or the policy's name alone) or the policy inline.</summary>
public sealed record AlertPolicyItem
{
    public string? AlertPolicyRef { get; init; }
    public string? Kind { get; init; }
    public OpenSloMetadata? Metadata { get; init; }
    public AlertPolicySpec? Spec { get; init; }
}

/// <summary>The spec of an AlertPolicy: when it alerts and its conditions.</summary>
public sealed record AlertPolicySpec
{
    public string? Description { get; init; }
    public bool? AlertWhenNoData { get; init; }
    public bool? AlertWhenResolved { get; init; }
    public bool? AlertWhenBreaching { get; init; }
    public List<AlertConditionItem?>? Conditions { get; init; }
}

/// <summary>A policy's condition: a reference (conditionRef, or the condition's name alone) or the condition inline.</summary>
public sealed record AlertConditionItem
{
    public string? ConditionRef { get; init; }
    public string? Kind { get; init; }
    public OpenSloMetadata? Metadata { get; init; }
    public AlertConditionSpec? Spec { get; init; }
}

/// <summary>The spec of an AlertCondition: its severity and its condition.</summary>
public sealed record AlertConditionSpec
{
    public string? Description { get; init; }
    public string? Severity { get; init; }
    public AlertConditionRule? Condition { get; init; }
}

/// <summary>A burn-rate condition: the rate (threshold) over lookbackWindow, sustained for alertAfter.</summary>
public sealed record AlertConditionRule
{
    public string? Kind { get; init; }
    public string? Op { get; init; }
    public double? Threshold { get; init; }
    public string? LookbackWindow { get; init; }
    public string? AlertAfter { get; init; }
}

/// <summary>The spec of a DataSource: its type (Prometheus) and how to reach it.</summary>
public sealed record DataSourceSpec
{
    public string? Description { get; init; }
    public string? Type { get; init; }
    public ConnectionDetails? ConnectionDetails { get; init; }
}

/// <summary>
/// How to reach a Prometheus data source: <c>url</c>, <c>headers</c>, <c>queryTimeout</c> (a duration such as 30s), and the
/// secret it signs in with, written only as the reference to configuration (<c>bearerToken</c> or <c>username</c> with
/// <c>password</c>: <c>${Prometheus:Sources:{name}:BearerToken}</c>); see <see cref="Domain.Slos.Pull.DataSourceRules"/>.
/// </summary>
public sealed record ConnectionDetails
{
    public string? Url { get; init; }
    public Dictionary<string, string?>? Headers { get; init; }
    public string? QueryTimeout { get; init; }
    public string? BearerToken { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
}
