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

/// <summary>
/// What an SLI counts. Latency and freshness carry their threshold (a request or datum is good under it);
/// rate SLIs carry their rule; a Prometheus-backed SLI carries its good and total queries.
/// </summary>
public sealed record SliSpec(
    SliKind Kind,
    TimeSpan? Threshold = null,
    RateRule? Rate = null,
    string? GoodQuery = null,
    string? TotalQuery = null);

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
