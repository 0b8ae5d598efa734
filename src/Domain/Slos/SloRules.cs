using System.Text.RegularExpressions;

namespace Sre.Domain.Slos;

/// <summary>What makes an SLO definition valid; every error is named by its field.</summary>
public static partial class SloRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    private static readonly TimeSpan LongestWindow = TimeSpan.FromDays(366);

    /// <summary>The shortest pulled slice: Prometheus's scrapes are seconds apart, a rate needs two samples.</summary>
    public static readonly TimeSpan MinSliceLength = TimeSpan.FromSeconds(10);

    /// <summary>The longest pulled slice.</summary>
    public static readonly TimeSpan MaxSliceLength = TimeSpan.FromHours(1);

    /// <summary>The largest burn-rate factor accepted: a factor is compared exactly (decimal), so it is bounded; 10⁹ is far
    /// above the burn rates of any practical target (0.999999 burns at most 10⁶).</summary>
    public const double MaxFactor = 1e9;

    public static bool IsDnsLabel(string? name) => name is not null && DnsLabel().IsMatch(name);

    public static Dictionary<string, string[]> Check(SloDefinition d)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        if (!IsDnsLabel(d.Name)) Error("name", "must be a DNS label: lower-case letters, digits and '-', at most 63 characters.");
        if (string.IsNullOrWhiteSpace(d.Service)) Error("service", "is required.");
        if (!ErrorBudget.IsValidTarget(d.Target)) Error("target", "must be a ratio between 0 and 1 (exclusive), e.g. 0.999, or a percent in targetPercent.");

        switch (d.Sli.Kind)
        {
            case SliKind.Latency or SliKind.Freshness when d.Sli.Threshold is null && d.Sli.ThresholdQuery is null:
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
        if (d.Sli.ThresholdQuery is not null)
        {
            if ((d.Sli.GoodQuery ?? d.Sli.BadQuery ?? d.Sli.TotalQuery) is not null)
                Error("sli.thresholdQuery", "a threshold SLI has one query: give thresholdQuery, or goodQuery (or badQuery) with totalQuery.");
            if (d.Sli.Kind == SliKind.Rate) Error("sli.thresholdQuery", "a rate SLI counts requests (totalQuery), it has no threshold query.");
            if (d.Sli.Op is null) Error("sli.op", "is required with thresholdQuery: lt, lte, gt or gte.");
            if (d.Sli.Value is not { } value || !double.IsFinite(value)) Error("sli.value", "is required with thresholdQuery: a finite number in the query's units.");
        }
        else if (d.Sli.Op is not null || d.Sli.Value is not null) Error("sli.thresholdQuery", "op and value judge a threshold SLI: they need thresholdQuery.");
        if (d.Sli.SliceLength is { } slice && (slice < MinSliceLength || slice > MaxSliceLength || slice.Ticks % TimeSpan.TicksPerSecond != 0))
            Error("sli.sliceLength", "must be whole seconds from 10s to 1h, e.g. 1m.");
        if (d.Sli.SliceLength is not null && !d.Sli.IsPromQl) Error("sli.sliceLength", "is the length of a pulled slice: it needs the SLI's queries.");
        if (d.Sli.DataSource is { } source && !FieldRules.IsName(source))
            Error("sli.dataSource", "must be a data source's name: letters, digits, '-', '_' or '.'.");
        if (d.Sli.DataSource is not null && !d.Sli.IsPromQl) Error("sli.dataSource", "needs the SLI's queries (totalQuery, and goodQuery or badQuery; or thresholdQuery).");
        if (d.Sli.HistoryFrom is not null && !d.Sli.IsPromQl) Error("sli.historyFrom", "needs the SLI's queries: only a pulled SLI fills in history.");

        if (d.Window.Kind == WindowKind.Rolling && (d.Window.Duration is not { } length || length < TimeSpan.FromHours(1) || length > LongestWindow))
            Error("window.duration", "a rolling window needs a duration from 1h to 366d, e.g. 30d.");
        if (d.Window.Kind == WindowKind.Calendar)
        {
            if (d.Window.Unit is null) Error("window.unit", "a calendar window needs a unit: week, month or quarter.");
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
            if (c.Severity is not ("page" or "ticket")) Error($"alerting.conditions[{i}].severity", "must be page or ticket.");
            if (c.ShortWindow >= c.LongWindow) Error($"alerting.conditions[{i}].shortWindow", "must be shorter than the long window.");
            if (c.Factor is not (> 0 and <= MaxFactor)) Error($"alerting.conditions[{i}].factor", $"must be above 0 and at most {MaxFactor:G}.");
        }
        if (d.Alerting.MinEvents < 0) Error("alerting.minEvents", "must be 0 or more.");
        return errors;
    }
}
