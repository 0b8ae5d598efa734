using System.Text.RegularExpressions;

namespace Sre.Domain.Slos;

/// <summary>What makes an SLO definition valid; every error is named by its field.</summary>
public static partial class SloRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    /// <summary>The longest SLO period: five years (OpenSLO puts no bound; slices older than this are not kept in view).</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(1827);

    /// <summary>The shortest pulled slice: Prometheus's scrapes are seconds apart, a rate needs two samples.</summary>
    public static readonly TimeSpan MinSliceLength = TimeSpan.FromSeconds(10);

    /// <summary>The longest pulled slice.</summary>
    public static readonly TimeSpan MaxSliceLength = TimeSpan.FromHours(1);

    /// <summary>The largest burn-rate factor accepted: a factor is compared exactly (decimal), so it is bounded; 10⁹ is far
    /// above the burn rates of any practical target (0.999999 burns at most 10⁶).</summary>
    public const double MaxFactor = 1e9;

    /// <summary>The largest OpenSLO <c>compositeWeight</c>: OpenSLO sets no bound; a million times the default is far past any use,
    /// and keeps the composite's exact (decimal) sums in range.</summary>
    public const double MaxCompositeWeight = 1e6;

    public static bool IsDnsLabel(string? name) => name is not null && DnsLabel().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][-_A-Za-z0-9]{0,62}$")]
    private static partial Regex Severity();

    /// <summary>A condition's severity (OpenSLO <c>severity</c>, free-form: page, ticket, sev1, critical): the alert's
    /// <c>severity</c> label. Page and ticket are the workbook's; a page counts as paging in alert quality.</summary>
    public static bool IsSeverity(string? severity) => severity is not null && Severity().IsMatch(severity);

    public static Dictionary<string, string[]> Check(SloDefinition d)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        if (d.Objective is { } objective)
        {
            // An objective of an OpenSLO SLO with several: {slo}.{objective}, each a DNS label.
            if (!IsDnsLabel(objective.Slo) || !IsDnsLabel(objective.Name) || d.Name != $"{objective.Slo}.{objective.Name}")
                Error("name", "an objective's SLO is named {slo}.{objective}, each a DNS label.");
            if (objective.CompositeWeight is not (> 0 and <= MaxCompositeWeight)) Error("objective.compositeWeight", $"must be above 0 and at most {MaxCompositeWeight:G}.");
        }
        else if (!IsDnsLabel(d.Name)) Error("name", "must be a DNS label: lower-case letters, digits and '-', at most 63 characters.");
        if (string.IsNullOrWhiteSpace(d.Service)) Error("service", "is required.");
        if (!ErrorBudget.IsValidTarget(d.Target)) Error("target", "must be a ratio from 0 up to (not including) 1, e.g. 0.999, or a percent in targetPercent.");

        switch (d.Sli.Kind)
        {
            case SliKind.Latency or SliKind.Freshness when d.Sli.Threshold is null && !d.Sli.IsThreshold && !d.Sli.IsRaw:
                Error("sli.threshold", $"is required for a {d.Sli.Kind.ToString().ToLowerInvariant()} SLI, e.g. 100ms.");
                break;
            case SliKind.Rate when d.Sli.Rate is null:
                Error("sli.rate", "is required for a rate SLI: minPerMinute, and optionally maxDrop with dropWindow.");
                break;
            case SliKind.Rate when d.Sli.Rate is { } r && (r.MinPerMinute < 0 || r.MaxDrop is < 0 or >= 1 || (r.MaxDrop is null) != (r.DropWindow is null)):
                Error("sli.rate", "needs minPerMinute >= 0, and maxDrop (0 to 1) together with dropWindow.");
                break;
        }
        if (d.Sli.GoodQuery is not null && d.Sli.BadQuery is not null) Error("sli.badQuery", "goodQuery and badQuery exclude each other: give one, with totalQuery.");
        else if (d.Sli.TotalQuery is not null && !d.Sli.IsPromQl) Error("sli.goodQuery", "totalQuery needs goodQuery or badQuery.");
        else if (d.Sli.TotalQuery is null && (d.Sli.GoodQuery ?? d.Sli.BadQuery) is not null)
            Error("sli.totalQuery", d.Sli.GoodQuery is null ? "badQuery and totalQuery go together." : "goodQuery and totalQuery go together.");
        if (d.Sli.ThresholdQuery is not null || d.Sli.Op is not null || d.Sli.Value is not null)
        {
            // A threshold SLI: its query's value per slice, or (without a query) the values pushed.
            if ((d.Sli.GoodQuery ?? d.Sli.BadQuery ?? d.Sli.TotalQuery) is not null)
                Error("sli.thresholdQuery", "a threshold SLI has one query: give thresholdQuery, or goodQuery (or badQuery) with totalQuery.");
            if (d.Sli.Kind == SliKind.Rate) Error("sli.thresholdQuery", "a rate SLI counts requests (totalQuery), it has no threshold.");
            if (d.Sli.Op is null) Error("sli.op", "is required for a threshold SLI: lt, lte, gt or gte.");
            if (d.Sli.Value is not { } value || !double.IsFinite(value)) Error("sli.value", "is required for a threshold SLI: a finite number in the SLI's units.");
        }
        if (d.Sli.RawQuery is not null && d.Sli.RawType is null) Error("sli.rawType", "is required with rawQuery: success or failure.");
        if (d.Sli.IsRaw && ((d.Sli.GoodQuery ?? d.Sli.BadQuery ?? d.Sli.TotalQuery ?? d.Sli.ThresholdQuery) is not null || d.Sli.Op is not null))
            Error("sli.rawQuery", "a raw-ratio SLI has one query (or pushed ratios): not with good, bad, total or threshold.");
        if (d.Sli.IsRaw && d.Sli.Kind == SliKind.Rate) Error("sli.rawType", "a rate SLI counts requests, it has no raw ratio.");
        if (d.Sli.SliceLength is { } slice && (slice < MinSliceLength || slice > MaxSliceLength || slice.Ticks % TimeSpan.TicksPerSecond != 0))
            Error("sli.sliceLength", "must be whole seconds from 10s to 1h, e.g. 1m.");
        if (d.Sli.SliceLength is not null && !d.Sli.IsPromQl) Error("sli.sliceLength", "is the length of a pulled slice: it needs the SLI's queries.");
        if (d.Sli.DataSource is { } source && !FieldRules.IsName(source))
            Error("sli.dataSource", "must be a data source's name: letters, digits, '-', '_' or '.'.");
        if (d.Sli.DataSource is not null && !d.Sli.IsPromQl) Error("sli.dataSource", "needs the SLI's queries (totalQuery, and goodQuery or badQuery; thresholdQuery; or rawQuery).");
        if (d.Sli.HistoryFrom is not null && !d.Sli.IsPromQl) Error("sli.historyFrom", "needs the SLI's queries: only a pulled SLI fills in history.");

        if (d.Window.Kind == WindowKind.Rolling && (d.Window.Duration is not { } length || length < TimeSpan.FromMinutes(1) || length > LongestWindow
            || length.Ticks % TimeSpan.TicksPerMinute != 0))
            Error("window.duration", "a rolling window needs whole minutes from 1m to 5y (1827d), e.g. 30d.");
        if (d.Window.Kind == WindowKind.Calendar)
        {
            if (d.Window.Unit is not { } unit) Error("window.unit", "a calendar window needs a unit: minute, hour, day, week, month, quarter or year.");
            else if (d.Window.Count is < 1 || (d.Window.Count ?? 1) * SloPeriod.NominalDays(unit) > LongestWindow.TotalDays)
                Error("window.count", "a calendar window is 1 or more units, at most five years.");
            if (d.Window.StartTime is { Year: < 1970 or > 9000 }) Error("window.startTime", "must be from 1970 to 9000.");
            if (!SloPeriod.IsKnownTimeZone(d.Window.TimeZone ?? "UTC")) Error("window.timeZone", $"'{d.Window.TimeZone}' is not an IANA time zone.");
        }

        if (d.Budgeting.Method != BudgetingMethod.Occurrences && d.Budgeting.SliceLength is not { TotalSeconds: >= 1 })
            Error("budgeting.sliceLength", "is required for timeslice budgeting, e.g. 1m.");
        if (d.Budgeting.Method == BudgetingMethod.Timeslices && d.Budgeting.SliceTarget is not (> 0 and <= 1))
            Error("budgeting.sliceTarget", "is required for Timeslices: the ratio a slice must reach to be good, e.g. 0.95.");

        var conditions = d.Alerting.Conditions ?? [];
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            if (!IsSeverity(c.Severity)) Error($"alerting.conditions[{i}].severity", "must be a label value such as page or ticket: letters, digits, '-' or '_'.");
            if (c.ShortWindow >= c.LongWindow) Error($"alerting.conditions[{i}].shortWindow", "must be shorter than the long window.");
            // OpenSLO takes any number as a threshold: 0 alerts on any bad unit, below 0 on any data at all.
            if (c.Factor is not (>= -MaxFactor and <= MaxFactor)) Error($"alerting.conditions[{i}].factor", $"must be a number from {-MaxFactor:G} to {MaxFactor:G}.");
            if (c.LongWindow > LongestWindow || c.ShortWindow <= TimeSpan.Zero) Error($"alerting.conditions[{i}].longWindow", "the windows are above 0 and at most five years.");
        }
        if (d.Alerting.MinEvents < 0) Error("alerting.minEvents", "must be 0 or more.");
        return errors;
    }
}
