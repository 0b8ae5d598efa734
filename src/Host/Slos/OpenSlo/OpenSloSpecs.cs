using System.Text.Json.Nodes;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>The spec of a Service.</summary>
public sealed record ServiceSpec
{
    public string? Description { get; init; }
}

/// <summary>The spec of an SLO: its service, its indicator (inline or by reference; on the objectives instead for a
/// composite SLO), one time window, the budgeting method, its objectives and its alert policies (inline or by reference).</summary>
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

/// <summary>An SLI written inside its SLO (or its objective): metadata and spec, no kind.</summary>
public sealed record InlineIndicator
{
    public OpenSloMetadata? Metadata { get; init; }
    public IndicatorSpec? Spec { get; init; }
}

/// <summary>The spec of an SLI: a ratio (good or bad over total, or raw) or a threshold on one metric.</summary>
public sealed record IndicatorSpec
{
    public string? Description { get; init; }
    public RatioMetric? RatioMetric { get; init; }
    public MetricQuery? ThresholdMetric { get; init; }
}

/// <summary>good or bad over total, or raw (a ratio already computed, <c>rawType</c> success or failure); counter says whether the queries count events.</summary>
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

/// <summary>A metric source: a DataSource by name, its type (Prometheus, Datadog, CloudWatch...) and a spec whose fields
/// depend on the type (<c>query</c> for Prometheus); any type is kept as given.</summary>
public sealed record MetricSource
{
    public string? MetricSourceRef { get; init; }
    public string? Type { get; init; }
    public JsonObject? Spec { get; init; }
}

/// <summary>A rolling window (isRolling true) or a calendar window starting at calendar.startTime in calendar.timeZone.</summary>
public sealed record TimeWindow
{
    public string? Duration { get; init; }
    public bool? IsRolling { get; init; }
    public Calendar? Calendar { get; init; }
}

/// <summary>Where a calendar window starts: <c>2020-01-21 12:30:00</c> on the wall clock of an IANA time zone.</summary>
public sealed record Calendar
{
    public string? StartTime { get; init; }
    public string? TimeZone { get; init; }
}

/// <summary>An objective: its target as a ratio or a percent, for timeslices the slice's length and target, a threshold
/// SLI's op and value, and for a composite SLO its own indicator and weight.</summary>
public sealed record Objective
{
    public string? DisplayName { get; init; }
    public double? Target { get; init; }
    public double? TargetPercent { get; init; }
    public double? TimeSliceTarget { get; init; }

    /// <summary>A duration shorthand (<c>1m</c>), or a number of minutes.</summary>
    public JsonNode? TimeSliceWindow { get; init; }

    public string? Op { get; init; }
    public double? Value { get; init; }
    public InlineIndicator? Indicator { get; init; }
    public string? IndicatorRef { get; init; }
    public double? CompositeWeight { get; init; }
}

/// <summary>An SLO's alert policy: a reference (alertPolicyRef) or the policy inline (kind AlertPolicy, metadata, spec).</summary>
public sealed record AlertPolicyItem
{
    public string? AlertPolicyRef { get; init; }
    public string? Kind { get; init; }
    public OpenSloMetadata? Metadata { get; init; }
    public AlertPolicySpec? Spec { get; init; }
}

/// <summary>The spec of an AlertPolicy: when it alerts, its one condition and where it notifies.</summary>
public sealed record AlertPolicySpec
{
    public string? Description { get; init; }
    public bool? AlertWhenNoData { get; init; }
    public bool? AlertWhenResolved { get; init; }
    public bool? AlertWhenBreaching { get; init; }
    public List<AlertConditionItem?>? Conditions { get; init; }
    public List<NotificationTargetItem?>? NotificationTargets { get; init; }
}

/// <summary>A policy's condition: a reference (conditionRef) or the condition inline.</summary>
public sealed record AlertConditionItem
{
    public string? ConditionRef { get; init; }
    public string? Kind { get; init; }
    public OpenSloMetadata? Metadata { get; init; }
    public AlertConditionSpec? Spec { get; init; }
}

/// <summary>A policy's notification target: a reference (targetRef) or the target inline.</summary>
public sealed record NotificationTargetItem
{
    public string? TargetRef { get; init; }
    public string? Kind { get; init; }
    public OpenSloMetadata? Metadata { get; init; }
    public NotificationTargetSpec? Spec { get; init; }
}

/// <summary>The spec of an AlertNotificationTarget: where to (free-form: email, slack, a URL) and a description.</summary>
public sealed record NotificationTargetSpec
{
    public string? Description { get; init; }
    public string? Target { get; init; }
}

/// <summary>The spec of an AlertCondition: its severity and its condition.</summary>
public sealed record AlertConditionSpec
{
    public string? Description { get; init; }
    public string? Severity { get; init; }
    public AlertConditionRule? Condition { get; init; }
}

/// <summary>A burn-rate condition: the rate compared (op) with threshold over lookbackWindow, for alertAfter.</summary>
public sealed record AlertConditionRule
{
    public string? Kind { get; init; }
    public string? Op { get; init; }
    public double? Threshold { get; init; }
    public string? LookbackWindow { get; init; }
    public string? AlertAfter { get; init; }
}

/// <summary>The spec of a DataSource: its type and how to reach it (any shape; read for type Prometheus).</summary>
public sealed record DataSourceSpec
{
    public string? Description { get; init; }
    public string? Type { get; init; }
    public JsonNode? ConnectionDetails { get; init; }
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
