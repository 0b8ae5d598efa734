using System.Text.RegularExpressions;

namespace Sre.Domain.Slos;

/// <summary>What makes an SLO definition valid; every error is named by its field.</summary>
public static partial class SloRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    private static readonly TimeSpan LongestWindow = TimeSpan.FromDays(366);

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
            case SliKind.Latency or SliKind.Freshness when d.Sli.Threshold is null:
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
        if (d.Sli.DataSource is { } source && !FieldRules.IsName(source))
            Error("sli.dataSource", "must be a data source's name: letters, digits, '-', '_' or '.'.");
        if (d.Sli.DataSource is not null && !d.Sli.IsPromQl) Error("sli.dataSource", "needs the SLI's queries (totalQuery, and goodQuery or badQuery).");
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
