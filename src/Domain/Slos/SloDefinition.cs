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
/// <param name="RawQuery">PromQL: a ratio already computed, per slice (OpenSLO <c>ratioMetric.raw</c>).</param>
/// <param name="RawType">What a raw ratio counts (OpenSLO <c>rawType</c>): the good share (success) or the bad (failure).
/// Set without <paramref name="RawQuery"/>, the ratios are pushed (a slice's <c>value</c>).</param>
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
    TimeSpan? SliceLength = null,
    string? RawQuery = null,
    RawType? RawType = null)
{
    /// <summary>
    /// A raw ratio counts as this many events per slice (good = the success share of them, rounded to the nearest): every
    /// slice weighs the same, as a ratio without its counts can only (OpenSLO <c>ratioMetric.raw</c>), and a month of
    /// minute slices stays far inside <see cref="ObservationRules.MaxEvents"/>.
    /// </summary>
    public const long RawScale = 1_000_000;

    /// <summary>
    /// True when the SLI is PromQL the service can pull: a total, and good or bad unless it is a rate SLI; or a threshold
    /// query with its comparison.
    /// </summary>
    public bool IsPromQl => (IsThreshold && ThresholdQuery is not null) || (IsRaw && RawQuery is not null)
        || (TotalQuery is not null && (Kind == SliKind.Rate || GoodQuery is not null || BadQuery is not null));

    /// <summary>True for a threshold SLI: one value per slice (its query's, or pushed), judged against <see cref="Value"/>.</summary>
    public bool IsThreshold => Op is not null && Value is not null;

    /// <summary>True for a raw-ratio SLI: one ratio per slice (its query's, or pushed).</summary>
    public bool IsRaw => RawType is not null;

    /// <summary>
    /// A slice given by one value (a threshold SLI's measurement, or a raw ratio) as good and total events: a threshold
    /// slice is one event, good when the value meets the comparison; a raw ratio is <see cref="RawScale"/> events, its
    /// success share of them good (a ratio outside 0 to 1 is clamped).
    /// </summary>
    public (long Good, long Total) Events(double value)
    {
        if (IsThreshold) return (Meets(value, Op!.Value, Value!.Value) ? 1 : 0, 1);
        var ratio = Math.Clamp(value, 0, 1);
        var success = RawType == Slos.RawType.Failure ? 1 - ratio : ratio;
        return ((long)Math.Round(success * RawScale, MidpointRounding.AwayFromZero), RawScale);
    }

    /// <summary>
    /// The same queries, comparison and source: a change of any of them pulls the history again. A new slice length does
    /// not: the pull goes on from where it stopped, in slices of the new length.
    /// </summary>
    public bool SamePullAs(SliSpec other) =>
        (GoodQuery, BadQuery, TotalQuery, DataSource, HistoryFrom, ThresholdQuery, Op, Value, RawQuery, RawType)
        == (other.GoodQuery, other.BadQuery, other.TotalQuery, other.DataSource, other.HistoryFrom, other.ThresholdQuery, other.Op, other.Value,
            other.RawQuery, other.RawType);

    /// <summary>Whether a threshold SLI's value meets its comparison (exactly, as doubles).</summary>
    public static bool Meets(double value, ThresholdOp op, double threshold) => op switch
    {
        ThresholdOp.Lt => value < threshold,
        ThresholdOp.Lte => value <= threshold,
        ThresholdOp.Gt => value > threshold,
        _ => value >= threshold,
    };
}

/// <summary>What a raw ratio measures (OpenSLO <c>ratioMetric.rawType</c>).</summary>
public enum RawType
{
    Success,
    Failure,
}

/// <summary>A slice of a rate SLI is good when its rate is at least the minimum and has not dropped by more than MaxDrop since DropWindow ago.</summary>
public sealed record RateRule(double MinPerMinute, double? MaxDrop = null, TimeSpan? DropWindow = null);

public enum WindowKind
{
    Rolling,
    Calendar,
}

/// <summary>The unit of a calendar window's length (OpenSLO duration shorthand: m, h, d, w, M, Q, Y).</summary>
public enum CalendarUnit
{
    Week,
    Month,
    Quarter,
    Minute,
    Hour,
    Day,
    Year,
}

/// <summary>
/// Rolling (a duration ending now) or calendar: periods of <see cref="Count"/> × <see cref="Unit"/> (one by default)
/// counted from <see cref="StartTime"/>, a wall-clock time in the IANA <see cref="TimeZone"/> (OpenSLO
/// <c>timeWindow[].calendar.startTime</c> and <c>timeZone</c>). Without a start time a week starts on Monday
/// (2020-01-06), anything else on 2020-01-01 00:00, so months and quarters are the calendar's own. Minutes and hours
/// are counted in elapsed time; days and longer on the zone's wall clock, so a day across a DST change is 23 or 25
/// hours long (<see cref="SloPeriod.At"/>).
/// </summary>
public sealed record SloWindow(
    WindowKind Kind, TimeSpan? Duration = null, CalendarUnit? Unit = null, string? TimeZone = null, int? Count = null, DateTime? StartTime = null)
{
    public static SloWindow Rolling(TimeSpan duration) => new(WindowKind.Rolling, duration);
    public static SloWindow Calendar(CalendarUnit unit, string timeZone = "UTC") => new(WindowKind.Calendar, null, unit, timeZone);

    /// <summary>A calendar window of <paramref name="count"/> units from <paramref name="startTime"/> (wall clock in the zone).</summary>
    public static SloWindow Calendar(int count, CalendarUnit unit, DateTime startTime, string timeZone) =>
        new(WindowKind.Calendar, null, unit, timeZone, count, DateTime.SpecifyKind(startTime, DateTimeKind.Unspecified));

    /// <summary>The same window, written the one way: a count of 1 and a start time equal to the default are left out.</summary>
    public SloWindow Canonical() => Kind == WindowKind.Rolling || Unit is not { } unit ? this
        : this with
        {
            Count = Count is 1 ? null : Count,
            StartTime = StartTime == SloPeriod.DefaultStart(unit) ? null : StartTime,
            TimeZone = TimeZone ?? "UTC",
        };
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

    /// <summary>The same budgeting without what its method does not read (a slice for Occurrences, a slice target for RatioTimeslices).</summary>
    public Budgeting Canonical() => Method switch
    {
        BudgetingMethod.Occurrences => Occurrences,
        BudgetingMethod.RatioTimeslices => this with { SliceTarget = null },
        _ => this,
    };
}

/// <summary>
/// Fires when the burn rate over both windows compares with the factor as <see cref="Op"/> says: above it by default (the
/// workbook's multi-window, multi-burn-rate alert); OpenSLO's burnrate condition may ask gte, or lt/lte (burning slower
/// than the factor, a window without data never firing).
/// </summary>
public sealed record BurnCondition(string Severity, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor, ThresholdOp? Op = null)
{
    public string Key => $"{Severity}:{Time.PromDuration.Format(LongWindow)}/{Time.PromDuration.Format(ShortWindow)}";
}

/// <summary>
/// Burn-rate conditions (null: the workbook's table scaled to the period; empty: none), the events a window needs before
/// it may alert, and what the OpenSLO alert policies ask beyond their conditions: an alert when the SLI has no data
/// (<c>alertWhenNoData</c>, a Prometheus rule) and whether a cleared condition is told (<c>alertWhenResolved</c>: the bus's
/// <c>BurnRateAlertCleared</c>). <c>alertWhenBreaching: false</c> leaves its condition out of <see cref="Conditions"/>.
/// </summary>
public sealed record AlertingOptions(IReadOnlyList<BurnCondition>? Conditions = null, long MinEvents = 0, bool NoData = false, bool Resolved = true)
{
    public static readonly AlertingOptions Default = new();
}

/// <summary>
/// Which objective of an OpenSLO SLO a definition is, when the SLO has several (OpenSLO <c>spec.objectives[]</c>): each
/// objective is an SLO of its own here, named <c>{slo}.{name}</c>, with its own budget, burn rates, alerts and gate.
/// </summary>
/// <param name="Slo">The OpenSLO SLO's name.</param>
/// <param name="Name">The objective's name: its displayName as a DNS label, or its index.</param>
/// <param name="DisplayName">OpenSLO <c>objectives[].displayName</c>.</param>
/// <param name="CompositeWeight">OpenSLO <c>compositeWeight</c> (composite SLOs, default 1): how much this objective's burn counts in the composite's.</param>
/// <param name="Composite">True when the objectives have their own indicators (a composite SLO).</param>
public sealed record SloObjective(string Slo, string Name, string? DisplayName = null, double CompositeWeight = 1, bool Composite = false);

public sealed record SloDefinition(
    string Name,
    string Service,
    string? Description,
    SliSpec Sli,
    double Target,
    SloWindow Window,
    Budgeting Budgeting,
    Dictionary<string, string> Labels,
    AlertingOptions Alerting,
    SloObjective? Objective = null)
{
    /// <summary>The objective's name within its OpenSLO SLO ("" for an SLO of one objective): the <c>objective</c> label.</summary>
    public string ObjectiveName => Objective?.Name ?? "";

    /// <summary>The same definition in every field, labels and conditions compared by content.</summary>
    public bool SameAs(SloDefinition other) => Target == other.Target && Window.Canonical() == other.Window.Canonical() && SameDetailsAs(other);

    /// <summary>The same definition written the one way (<see cref="SloWindow.Canonical"/>, <see cref="Budgeting.Canonical"/>).</summary>
    public SloDefinition Canonical() => this with { Window = Window.Canonical(), Budgeting = Budgeting.Canonical() };

    /// <summary>True when everything but target and window is the same.</summary>
    public bool SameDetailsAs(SloDefinition other) =>
        this with { Target = other.Target, Window = other.Window, Labels = other.Labels, Alerting = other.Alerting } == other
        && Labels.Count == other.Labels.Count && !Labels.Except(other.Labels).Any()
        && Alerting with { Conditions = null } == other.Alerting with { Conditions = null }
        && (Alerting.Conditions is null) == (other.Alerting.Conditions is null)
        && (Alerting.Conditions ?? []).SequenceEqual(other.Alerting.Conditions ?? []);
}
