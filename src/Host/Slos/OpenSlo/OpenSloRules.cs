using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sre.Domain.Slos;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// What makes an OpenSLO v1 document valid, as the specification and its reference validator (OpenSLO's go-sdk,
/// <c>pkg/openslo/v1</c>) have it: names are RFC 1123 labels, a displayName at most 63 characters, a description at
/// most 1050; label keys and annotation keys as Kubernetes writes them; exactly one of target and targetPercent, a
/// target in [0, 1) and a percent in [0, 100); timeSliceTarget in (0, 1]; one time window, a calendar one with its
/// calendar; good or bad (not both) with total, or raw with rawType; an alert policy with one condition and at least
/// one notification target. Each error is keyed by its path and names its document.
/// </summary>
public static partial class OpenSloRules
{
    [GeneratedRegex("^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*/)?[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex AnnotationKey();

    public const int MaxDisplayName = 63;
    public const int MaxDescription = 1050;
    public const string StartTimeFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly string[] Ops = ["gt", "lt", "gte", "lte"];
    private static readonly string[] Methods = ["Occurrences", "Timeslices", "RatioTimeslices"];

    /// <summary>Errors of one document (or an inline one), keyed by path; the message names the document.</summary>
    public sealed class Errors(Dictionary<string, string[]> all, string document)
    {
        public void Add(string path, string message) => all.TryAdd(path, [$"{document}: {message}"]);
    }

    public static void Metadata(OpenSloMetadata? metadata, string path, Errors errors)
    {
        if (metadata is null) { errors.Add($"{path}.metadata", "is required."); return; }
        if (!SloRules.IsDnsLabel(metadata.Name))
            errors.Add($"{path}.metadata.name", metadata.Name is null ? "is required." : "must be an RFC 1123 label: lower-case letters, digits and '-', at most 63 characters.");
        if (metadata.DisplayName is { } display && display.EnumerateRunes().Count() > MaxDisplayName)
            errors.Add($"{path}.metadata.displayName", $"must be at most {MaxDisplayName} characters.");
        foreach (var (key, value) in metadata.Labels ?? [])
        {
            if (!LabelKey().IsMatch(key)) errors.Add($"{path}.metadata.labels.{key}", "is not a label key: letters, digits, '-', '.' or '_', starting and ending with a letter or digit, at most 63.");
            if (value is not (null or JsonValue) && !(value is JsonArray list && list.All(v => v is JsonValue s && s.GetValueKind() == JsonValueKind.String)))
                errors.Add($"{path}.metadata.labels.{key}", "must be a string or a list of strings.");
        }
        foreach (var key in (metadata.Annotations ?? []).Keys)
            if (key.Length > 253 + 64 || !AnnotationKey().IsMatch(key))
                errors.Add($"{path}.metadata.annotations.{key}", "is not an annotation key: an optional DNS subdomain and '/', then a name of at most 63 characters.");
    }

    public static void Description(string? description, string path, Errors errors)
    {
        if (description is { Length: > MaxDescription }) errors.Add($"{path}.description", $"must be at most {MaxDescription} characters.");
    }

    public static void Sli(IndicatorSpec? spec, string path, Errors errors)
    {
        if (spec is null) { errors.Add(path, "is required."); return; }
        Description(spec.Description, path, errors);
        if ((spec.RatioMetric is null) == (spec.ThresholdMetric is null))
        {
            errors.Add($"{path}.ratioMetric", spec.RatioMetric is null
                ? "one of ratioMetric and thresholdMetric is required."
                : "ratioMetric and thresholdMetric exclude each other: give one.");
            return;
        }
        if (spec.ThresholdMetric is { } threshold) Metric(threshold, $"{path}.thresholdMetric", errors);
        if (spec.RatioMetric is not { } ratio) return;
        var p = $"{path}.ratioMetric";
        if ((ratio.Total is null) == (ratio.Raw is null))
            errors.Add($"{p}.total", ratio.Total is null ? "one of total and raw is required." : "total and raw exclude each other: give one.");
        else if (ratio.Raw is not null && (ratio.Good ?? ratio.Bad) is not null)
            errors.Add($"{p}.raw", "raw excludes good and bad: a raw ratio is already computed.");
        else if (ratio.Good is not null && ratio.Bad is not null)
            errors.Add($"{p}.bad", "good and bad exclude each other: give one, with total.");
        else if (ratio.Total is not null && (ratio.Good ?? ratio.Bad) is null)
            errors.Add($"{p}.good", "one of good and bad is required with total.");
        if (ratio.Raw is not null && ratio.RawType is not ("success" or "failure"))
            errors.Add($"{p}.rawType", ratio.RawType is null ? "is required with raw: success or failure." : $"'{ratio.RawType}' is not success or failure.");
        foreach (var (side, name) in new[] { (ratio.Good, "good"), (ratio.Bad, "bad"), (ratio.Total, "total"), (ratio.Raw, "raw") })
            if (side is not null) Metric(side, $"{p}.{name}", errors);
        // The service reads an SLI's sides from one data source (it divides what one Prometheus answers).
        var sources = new[] { ("good", ratio.Good), ("bad", ratio.Bad), ("total", ratio.Total) }
            .Where(x => x.Item2?.MetricSource?.MetricSourceRef is not null).ToList();
        if (sources.Select(x => x.Item2!.MetricSource!.MetricSourceRef).Distinct().Count() > 1)
            errors.Add($"{p}.{sources[^1].Item1}.metricSource.metricSourceRef", "names another data source than the other side: an SLI reads one data source.");
    }

    private static void Metric(MetricQuery metric, string path, Errors errors)
    {
        if (metric.MetricSource is not { } source) { errors.Add($"{path}.metricSource", "is required."); return; }
        if (source.MetricSourceRef is { } reference && !SloRules.IsDnsLabel(reference))
            errors.Add($"{path}.metricSource.metricSourceRef", "must be an RFC 1123 label: the name of a DataSource.");
        if (source.Spec is not { Count: > 0 }) errors.Add($"{path}.metricSource.spec", "is required: the source's query, in its own fields.");
    }

    public static void Slo(SloSpec? spec, string path, Errors errors)
    {
        if (spec is null) { errors.Add($"{path}.spec", "is required."); return; }
        var p = $"{path}.spec";
        Description(spec.Description, p, errors);
        if (string.IsNullOrEmpty(spec.Service)) errors.Add($"{p}.service", "is required.");
        if (spec.Indicator is not null && spec.IndicatorRef is not null) errors.Add($"{p}.indicatorRef", "indicator and indicatorRef exclude each other: give one.");
        var objectives = spec.Objectives ?? [];
        var composite = objectives.Any(o => o?.Indicator is not null || o?.IndicatorRef is not null);
        var atSpec = spec.Indicator is not null || spec.IndicatorRef is not null;
        if (composite == atSpec)
            errors.Add($"{p}.indicator", "'indicator' or 'indicatorRef' must be on the spec (a standard SLO) or on every objective (a composite SLO)"
                + (composite ? ", not both." : ", but none was given."));
        if (spec.Indicator is { } inline) InlineSli(inline, $"{p}.indicator", errors);
        if (spec.IndicatorRef is { } reference && !SloRules.IsDnsLabel(reference)) errors.Add($"{p}.indicatorRef", "must be an RFC 1123 label: the name of an SLI.");

        if (spec.BudgetingMethod is null) errors.Add($"{p}.budgetingMethod", "is required: Occurrences, Timeslices or RatioTimeslices.");
        else if (!Methods.Contains(spec.BudgetingMethod)) errors.Add($"{p}.budgetingMethod", $"'{spec.BudgetingMethod}' is not Occurrences, Timeslices or RatioTimeslices.");
        if (spec.TimeWindow is not { Count: 1 }) errors.Add($"{p}.timeWindow", "needs exactly one time window.");
        else Window(spec.TimeWindow[0], $"{p}.timeWindow[0]", errors);

        if (objectives.Count == 0) errors.Add($"{p}.objectives", "needs at least one objective.");
        for (var i = 0; i < objectives.Count; i++)
        {
            var o = objectives[i];
            var op = $"{p}.objectives[{i}]";
            if (o is null) { errors.Add(op, "must be an objective."); continue; }
            if (o.DisplayName is { } display && display.EnumerateRunes().Count() > MaxDisplayName) errors.Add($"{op}.displayName", $"must be at most {MaxDisplayName} characters.");
            if ((o.Target is null) == (o.TargetPercent is null))
                errors.Add($"{op}.target", o.Target is null ? "one of target and targetPercent is required." : "target and targetPercent exclude each other: give one.");
            if (o.Target is < 0 or >= 1) errors.Add($"{op}.target", "must be from 0 up to (not including) 1, e.g. 0.999.");
            if (o.TargetPercent is < 0 or >= 100) errors.Add($"{op}.targetPercent", "must be from 0 up to (not including) 100, e.g. 99.9.");
            if (spec.BudgetingMethod == "Timeslices" && o.TimeSliceTarget is not (> 0 and <= 1))
                errors.Add($"{op}.timeSliceTarget", o.TimeSliceTarget is null ? "is required with Timeslices: above 0, at most 1." : "must be above 0 and at most 1.");
            else if (o.TimeSliceTarget is { } sliceTarget && sliceTarget is not (> 0 and <= 1)) errors.Add($"{op}.timeSliceTarget", "must be above 0 and at most 1.");
            if (spec.BudgetingMethod is "Timeslices" or "RatioTimeslices" && o.TimeSliceWindow is null)
                errors.Add($"{op}.timeSliceWindow", $"is required with {spec.BudgetingMethod}: a duration such as 1m.");
            else if (o.TimeSliceWindow is not null && OpenSloDuration.SliceLength(o.TimeSliceWindow) is null)
                errors.Add($"{op}.timeSliceWindow", $"'{Text(o.TimeSliceWindow)}' is not a duration (such as 1m, 5m) or a number of minutes.");
            if (o.Op is { } comparison && !Ops.Contains(comparison)) errors.Add($"{op}.op", $"'{comparison}' is not gt, lt, gte or lte.");
            var indicator = (o.Indicator ?? spec.Indicator)?.Spec;
            if (indicator?.ThresholdMetric is not null)
            {
                if (o.Op is null) errors.Add($"{op}.op", "is required with a thresholdMetric: gt, lt, gte or lte.");
                if (o.Value is null) errors.Add($"{op}.value", "is required with a thresholdMetric: the threshold, in the metric's units.");
            }
            else if (indicator?.RatioMetric is not null)
            {
                if (o.Op is not null) errors.Add($"{op}.op", "is forbidden with a ratioMetric: op and value judge a thresholdMetric.");
                if (o.Value is not null) errors.Add($"{op}.value", "is forbidden with a ratioMetric: op and value judge a thresholdMetric.");
            }
            if (o.Indicator is not null && o.IndicatorRef is not null) errors.Add($"{op}.indicatorRef", "indicator and indicatorRef exclude each other: give one.");
            if (o.Indicator is { } own) InlineSli(own, $"{op}.indicator", errors);
            if (o.IndicatorRef is { } ownRef && !SloRules.IsDnsLabel(ownRef)) errors.Add($"{op}.indicatorRef", "must be an RFC 1123 label: the name of an SLI.");
            if (o.CompositeWeight is { } weight && weight is not (> 0 and <= SloRules.MaxCompositeWeight))
                errors.Add($"{op}.compositeWeight", $"must be above 0 and at most {SloRules.MaxCompositeWeight:G}.");
            if (composite && o.Indicator is null && o.IndicatorRef is null)
                errors.Add($"{op}.indicator", "a composite SLO has an indicator (or indicatorRef) on every objective.");
        }

        var policies = spec.AlertPolicies ?? [];
        for (var i = 0; i < policies.Count; i++)
            Item(policies[i], $"{p}.alertPolicies[{i}]", "alertPolicyRef", OpenSloKinds.AlertPolicy, errors, (s, at) => Policy(s, at, errors),
                x => (x.AlertPolicyRef, x.Kind, x.Metadata, x.Spec));
    }

    private static void InlineSli(InlineIndicator inline, string path, Errors errors)
    {
        Metadata(inline.Metadata, path, errors);
        Sli(inline.Spec, $"{path}.spec", errors);
    }

    public static void Window(TimeWindow? window, string path, Errors errors)
    {
        if (window is null) { errors.Add(path, "must be a time window."); return; }
        if (window.Duration is null) errors.Add($"{path}.duration", "is required: a duration shorthand such as 28d, 1M or 1Q.");
        else if (OpenSloDuration.Parse(window.Duration) is null)
            errors.Add($"{path}.duration", $"'{window.Duration}' is not a duration shorthand: a positive whole number and m, h, d, w, M, Q or Y.");
        var rolling = window.IsRolling ?? window.Calendar is null;
        if (rolling && window.Calendar is not null) errors.Add($"{path}.calendar", "cannot be set when isRolling is true.");
        if (!rolling && window.Calendar is null) errors.Add($"{path}.calendar", "must be set when isRolling is false: startTime and timeZone.");
        if (window.Calendar is not { } calendar) return;
        if (StartTime(calendar.StartTime) is null)
            errors.Add($"{path}.calendar.startTime", $"'{calendar.StartTime}' is not a date and time as {StartTimeFormat} from 1970 to 9000 (no zone: the zone is timeZone).");
        if (calendar.TimeZone is not { Length: > 0 } zone || zone == "Local" || !SloPeriod.IsKnownTimeZone(zone))
            errors.Add($"{path}.calendar.timeZone", $"'{calendar.TimeZone}' is not an IANA time zone, such as America/New_York.");
    }

    /// <summary>
    /// What is valid but may not be meant: a calendar window in minutes (<c>m</c> is minutes, <c>M</c> months; the
    /// specification's shorthand is case-sensitive, and a calendar window of <c>1m</c> is one minute long).
    /// </summary>
    public static List<string> Warnings(OpenSloDocument document) =>
        document.Spec is SloSpec { TimeWindow: [{ IsRolling: not true, Calendar: not null, Duration: { } duration }] }
        && OpenSloDuration.Parse(duration) is (_, CalendarUnit.Minute)
            ? [$"spec.timeWindow[0].duration: a calendar window of '{duration}' is {duration[..^1]} minute(s) long ('m' is minutes, 'M' months)."]
            : [];

    /// <summary>A calendar's start (<c>2020-01-21 12:30:00</c>, wall clock), from 1970 to 9000; null otherwise.</summary>
    public static DateTime? StartTime(string? text) =>
        DateTime.TryParseExact(text, StartTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) && start.Year is >= 1970 and <= 9000
            ? start
            : null;

    public static void Policy(AlertPolicySpec? spec, string path, Errors errors)
    {
        if (spec is null) { errors.Add($"{path}.spec", "is required."); return; }
        var p = $"{path}.spec";
        Description(spec.Description, p, errors);
        if (spec.Conditions is not { Count: 1 }) errors.Add($"{p}.conditions", "needs exactly one condition (OpenSLO v1).");
        else Item(spec.Conditions[0], $"{p}.conditions[0]", "conditionRef", OpenSloKinds.AlertCondition, errors, (s, at) => Condition(s, at, errors),
            x => (x.ConditionRef, x.Kind, x.Metadata, x.Spec));
        if (spec.NotificationTargets is not { Count: > 0 } targets) errors.Add($"{p}.notificationTargets", "needs at least one notification target.");
        else
            for (var i = 0; i < targets.Count; i++)
                Item(targets[i], $"{p}.notificationTargets[{i}]", "targetRef", OpenSloKinds.AlertNotificationTarget, errors, (s, at) => Target(s, at, errors),
                    x => (x.TargetRef, x.Kind, x.Metadata, x.Spec));
    }

    public static void Condition(AlertConditionSpec? spec, string path, Errors errors)
    {
        if (spec is null) { errors.Add($"{path}.spec", "is required."); return; }
        var p = $"{path}.spec";
        Description(spec.Description, p, errors);
        if (string.IsNullOrEmpty(spec.Severity)) errors.Add($"{p}.severity", "is required, e.g. page.");
        else if (!SloRules.IsSeverity(spec.Severity)) errors.Add($"{p}.severity", $"'{spec.Severity}' must be letters, digits, '-' or '_' (it becomes the alert's severity label).");
        if (spec.Condition is not { } c) { errors.Add($"{p}.condition", "is required."); return; }
        if (c.Kind != "burnrate") errors.Add($"{p}.condition.kind", c.Kind is null ? "is required: burnrate." : $"'{c.Kind}' is not burnrate.");
        if (c.Op is null) errors.Add($"{p}.condition.op", "is required: gt, lt, gte or lte.");
        else if (!Ops.Contains(c.Op)) errors.Add($"{p}.condition.op", $"'{c.Op}' is not gt, lt, gte or lte.");
        if (c.Threshold is null) errors.Add($"{p}.condition.threshold", "is required: the burn rate.");
        if (c.LookbackWindow is null) errors.Add($"{p}.condition.lookbackWindow", "is required: a duration such as 1h.");
        else if (OpenSloDuration.Window(c.LookbackWindow) is null) errors.Add($"{p}.condition.lookbackWindow", $"'{c.LookbackWindow}' is not a duration shorthand, such as 1h.");
        if (c.AlertAfter is { } after && after != "0m" && OpenSloDuration.Window(after) is null)
            errors.Add($"{p}.condition.alertAfter", $"'{after}' is not a duration shorthand, such as 5m.");
    }

    public static void Target(NotificationTargetSpec? spec, string path, Errors errors)
    {
        if (spec is null) { errors.Add($"{path}.spec", "is required."); return; }
        Description(spec.Description, $"{path}.spec", errors);
        if (string.IsNullOrEmpty(spec.Target)) errors.Add($"{path}.spec.target", "is required: where notifications go, e.g. slack or an address.");
    }

    public static void DataSource(DataSourceSpec? spec, string path, Errors errors)
    {
        if (spec is null) { errors.Add($"{path}.spec", "is required."); return; }
        Description(spec.Description, $"{path}.spec", errors);
        if (string.IsNullOrEmpty(spec.Type)) errors.Add($"{path}.spec.type", "is required: Prometheus, Datadog, CloudWatch...");
        if (spec.ConnectionDetails is null) errors.Add($"{path}.spec.connectionDetails", "is required.");
    }

    /// <summary>An item that is a reference or inline (kind, metadata and spec), never both.</summary>
    private static void Item<TItem, TSpec>(TItem? item, string path, string refName, string kind, Errors errors, Action<TSpec?, string> inline,
        Func<TItem, (string? Ref, string? Kind, OpenSloMetadata? Metadata, TSpec? Spec)> parts) where TItem : class where TSpec : class
    {
        if (item is null) { errors.Add(path, $"must be a {refName} or an inline {kind}."); return; }
        var (reference, itemKind, metadata, spec) = parts(item);
        if ((reference is null) == (spec is null && metadata is null && itemKind is null))
        {
            errors.Add($"{path}.{refName}", reference is null ? $"one of {refName} and an inline {kind} is required." : $"{refName} and an inline {kind} exclude each other.");
            return;
        }
        if (reference is not null)
        {
            if (!SloRules.IsDnsLabel(reference)) errors.Add($"{path}.{refName}", $"must be an RFC 1123 label: the name of an {kind}.");
            return;
        }
        if (itemKind != kind) errors.Add($"{path}.kind", $"must be {kind}.");
        Metadata(metadata, path, errors);
        inline(spec, path);
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "";

    /// <summary>A label's value as the service keeps it: a string, or a list's strings joined by commas.</summary>
    public static string LabelValue(JsonNode? value) => value switch
    {
        JsonArray list => string.Join(",", list.Select(Text)),
        null => "",
        _ => Text(value),
    };
}
