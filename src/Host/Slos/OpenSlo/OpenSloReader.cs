using System.Globalization;
using Sre.Domain;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Domain.Time;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// Reads OpenSLO v1 documents (Service, SLI, SLO with an inline indicator or indicatorRef, AlertPolicy and
/// AlertCondition of kind burnrate) into SLO definitions, and DataSource documents of type Prometheus into data source
/// definitions (<see cref="DataSourceRules"/>: no secret in the clear). What the service does not support is an error naming
/// its field, never silently dropped. The service's own SLI details (kind, threshold, rate rule) travel in
/// metadata.annotations under the "sre.dev/" prefix, so that an export imports back to the same SLO.
/// </summary>
public static class OpenSloReader
{
    public const string Prefix = "sre.dev/";

    public sealed record Result(IReadOnlyList<SloDefinition> Slos, Dictionary<string, string[]> Errors)
    {
        /// <summary>The DataSource documents of the request; an SLO's <c>metricSourceRef</c> may name one of them, before or after it.</summary>
        public IReadOnlyList<DataSourceDefinition> DataSources { get; init; } = [];
    }

    private sealed class Errors(Dictionary<string, string[]> all)
    {
        public void Add(string path, string message) => all.TryAdd(path, [message]);
    }

    /// <summary>The documents of one request by kind and name, each with its path; a later one of the same name wins.</summary>
    private sealed class Named : Dictionary<(Type Kind, string Name), (string Path, OpenSloDocument Document)>
    {
        public (string Path, T Document)? Find<T>(string name) where T : OpenSloDocument =>
            TryGetValue((typeof(T), name), out var found) ? (found.Path, (T)found.Document) : null;
    }

    public static Result Read(string yaml)
    {
        var all = new Dictionary<string, string[]>();
        var errors = new Errors(all);
        var named = new Named();
        foreach (var (path, document) in OpenSloYaml.Read(yaml, all))
        {
            if (document.ApiVersion != OpenSloDocument.V1) { errors.Add($"{path}.apiVersion", "must be openslo/v1."); continue; }
            if (document is UnsupportedDocument)
            {
                errors.Add($"{path}.kind", $"'{document.Kind}' is not supported: Service, SLI, SLO, AlertPolicy, AlertCondition or DataSource.");
                continue;
            }
            if (document.Metadata?.Name is not { } name) { errors.Add($"{path}.metadata.name", "is required."); continue; }
            named[(document.GetType(), name)] = (path, document);
        }

        var slos = new List<SloDefinition>();
        var sources = new List<DataSourceDefinition>();
        foreach (var ((_, name), (path, document)) in named)
        {
            if (document is SloDocument slo && Slo(name, path, slo, named, errors) is { } definition) slos.Add(definition);
            if (document is DataSourceDocument source && DataSource(name, path, source, errors) is { } dataSource) sources.Add(dataSource);
        }
        if (slos.Count == 0 && sources.Count == 0 && all.Count == 0) errors.Add("body", "holds no SLO or DataSource document.");
        return new Result(slos, all) { DataSources = sources };
    }

    private static DataSourceDefinition? DataSource(string name, string path, DataSourceDocument document, Errors errors)
    {
        if (document.Spec is not { } spec) { errors.Add($"{path}.spec", "is required."); return null; }
        var details = spec.ConnectionDetails;
        if (details is null && spec.Type is not null && spec.Type.Equals(DataSourceRules.Prometheus, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}.spec.connectionDetails", "is required: url, and optionally headers, queryTimeout, bearerToken or username and password.");
            return null;
        }
        var (definition, problems) = DataSourceRules.Read(name, spec.Type, spec.Description, details?.Url, details?.Headers, details?.QueryTimeout,
            details?.BearerToken, details?.Username, details?.Password);
        foreach (var (field, messages) in problems) errors.Add($"{path}.{field}", messages[0]);
        return definition;
    }

    private static SloDefinition? Slo(string name, string path, SloDocument document, Named named, Errors errors)
    {
        if (document.Spec is not { } spec) { errors.Add($"{path}.spec", "is required."); return null; }
        var annotations = document.Metadata!.Annotations ?? [];
        if (spec.Service is null) errors.Add($"{path}.spec.service", "is required.");

        var window = Window(spec, path, errors);
        if (spec.Objectives is not { Count: > 0 } objectives) { errors.Add($"{path}.spec.objectives", "needs one objective."); return null; }
        if (objectives.Count > 1) errors.Add($"{path}.spec.objectives[1]", "one objective per SLO is supported; split it into several SLOs.");
        var objective = objectives[0] ?? new Objective();
        var objectivePath = $"{path}.spec.objectives[0]";

        var (indicator, indicatorPath) = Indicator(spec, path, named, errors);
        var sli = Sli(indicator, indicatorPath, objective, objectivePath, annotations, errors);
        var target = objective.Target ?? (objective.TargetPercent is { } p ? ErrorBudget.RatioOf(p) : null);
        if (target is null) errors.Add($"{objectivePath}.target", "is required (or targetPercent).");

        var method = spec.BudgetingMethod ?? "Occurrences";
        Budgeting? budgeting = method switch
        {
            "Occurrences" => Budgeting.Occurrences,
            "Timeslices" => new Budgeting(BudgetingMethod.Timeslices,
                Duration(objective.TimeSliceWindow, $"{objectivePath}.timeSliceWindow", errors), objective.TimeSliceTarget),
            "RatioTimeslices" => new Budgeting(BudgetingMethod.RatioTimeslices,
                Duration(objective.TimeSliceWindow, $"{objectivePath}.timeSliceWindow", errors)),
            _ => null,
        };
        if (budgeting is null) errors.Add($"{path}.spec.budgetingMethod", $"'{method}' is not Occurrences, Timeslices or RatioTimeslices.");

        var conditions = AlertConditions(spec, path, named, errors);
        var minEvents = annotations.TryGetValue(Prefix + "min-events", out var m) && long.TryParse(m, out var n) ? n : 0;
        if (sli is null || window is null || target is null || budgeting is null || spec.Service is null) return null;

        // A label whose value is a list (the specification allows it) is not one the service keeps.
        var labels = (document.Metadata.Labels ?? []).Where(l => l.Value is string or null)
            .ToDictionary(l => l.Key, l => l.Value as string ?? "");
        var definition = new SloDefinition(name, spec.Service, spec.Description, sli, target.Value, window, budgeting, labels,
            new AlertingOptions(conditions, minEvents));
        foreach (var (field, messages) in SloRules.Check(definition)) errors.Add($"{path}.{field}", messages[0]);
        return definition;
    }

    private static (IndicatorSpec? Spec, string Path) Indicator(SloSpec spec, string path, Named named, Errors errors)
    {
        if (spec.Indicator is { } inline) return (inline.Spec, $"{path}.spec.indicator.spec");
        if (spec.IndicatorRef is { } reference)
        {
            if (named.Find<SliDocument>(reference) is { } sli) return (sli.Document.Spec, $"{sli.Path}.spec");
            errors.Add($"{path}.spec.indicatorRef", $"no SLI document named '{reference}' in this request.");
            return (null, path);
        }
        errors.Add($"{path}.spec.indicator", "is required (or indicatorRef).");
        return (null, path);
    }

    /// <summary>
    /// The SLI: <c>ratioMetric</c> (good or bad, and total) or <c>thresholdMetric</c> (one query, judged per slice by the
    /// objective's <c>op</c> and <c>value</c>), each a Prometheus source (<c>metricSource.spec.query</c>) that may name its
    /// data source (<c>metricSourceRef</c>); the service's own fields in <c>sre.dev/</c> annotations.
    /// </summary>
    private static SliSpec? Sli(IndicatorSpec? indicator, string path, Objective objective, string objectivePath,
        Dictionary<string, string?> annotations, Errors errors)
    {
        if (indicator is null) return null;
        string? good = null, bad = null, total = null, source = null, threshold = null;
        ThresholdOp? op = null;
        if (indicator.ThresholdMetric is { } metric)
        {
            if (indicator.RatioMetric is not null) errors.Add($"{path}.thresholdMetric", "goes instead of ratioMetric, not with it.");
            threshold = Query(metric, $"{path}.thresholdMetric", errors);
            if (threshold is null) errors.Add($"{path}.thresholdMetric.metricSource.spec.query", "is required: the PromQL whose value is judged per slice.");
            source = metric.MetricSource?.MetricSourceRef;
            if (objective.Op is null) errors.Add($"{objectivePath}.op", "is required with a thresholdMetric: lt, lte, gt or gte.");
            else if (EnumText.Parse<ThresholdOp>(objective.Op) is { } parsed) op = parsed;
            else errors.Add($"{objectivePath}.op", $"'{objective.Op}' is not lt, lte, gt or gte.");
            if (objective.Value is null) errors.Add($"{objectivePath}.value", "is required with a thresholdMetric: the threshold, in the query's units.");
        }
        // op and value are only needed with a thresholdMetric (OpenSLO v1): with a ratioMetric they mean nothing and are left.
        if (indicator.RatioMetric is { } ratio)
        {
            if (ratio.Raw is not null) errors.Add($"{path}.ratioMetric.raw", "is not supported: use good (or bad) and total.");
            if (ratio.Good is not null && ratio.Bad is not null) errors.Add($"{path}.ratioMetric.bad", "goes instead of good, not with it.");
            good = Query(ratio.Good, $"{path}.ratioMetric.good", errors);
            bad = Query(ratio.Bad, $"{path}.ratioMetric.bad", errors);
            total = Query(ratio.Total, $"{path}.ratioMetric.total", errors);
            // The data source to pull from (OpenSLO metricSourceRef), named on the total's source.
            source = ratio.Total?.MetricSource?.MetricSourceRef;
        }
        var kindText = annotations.GetValueOrDefault(Prefix + "sli-kind") ?? "availability";
        if (EnumText.Parse<SliKind>(kindText) is not { } kind)
        {
            errors.Add($"annotations.{Prefix}sli-kind", $"'{kindText}' is not an SLI kind.");
            return null;
        }
        TimeSpan? limit = PromDuration.TryParse(annotations.GetValueOrDefault(Prefix + "threshold"), out var t) ? t : null;
        RateRule? rate = null;
        if (annotations.GetValueOrDefault(Prefix + "rate-min-per-minute") is { } min && double.TryParse(min, CultureInfo.InvariantCulture, out var perMinute))
        {
            double? drop = double.TryParse(annotations.GetValueOrDefault(Prefix + "rate-max-drop"), CultureInfo.InvariantCulture, out var d) ? d : null;
            TimeSpan? back = PromDuration.TryParse(annotations.GetValueOrDefault(Prefix + "rate-drop-window"), out var w) ? w : null;
            rate = new RateRule(perMinute, drop, back);
        }
        TimeSpan? sliceLength = annotations.GetValueOrDefault(Prefix + "slice-length") is { } length
            ? Duration(length, $"annotations.{Prefix}slice-length", errors)
            : null;
        DateTimeOffset? historyFrom = null;
        if (annotations.GetValueOrDefault(Prefix + "history-from") is { } fromText)
        {
            if (DateTimeOffset.TryParse(fromText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var from)) historyFrom = from;
            else errors.Add($"annotations.{Prefix}history-from", $"'{fromText}' is not an RFC 3339 instant.");
        }
        return new SliSpec(kind, limit, rate, good, total, bad, source, historyFrom, threshold, op,
            threshold is null ? null : objective.Value, sliceLength);
    }

    private static string? Query(MetricQuery? side, string path, Errors errors)
    {
        var source = side?.MetricSource;
        if (source?.Type is { } type && !type.Equals("Prometheus", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}.metricSource.type", $"'{type}' is not supported: Prometheus, or send slices to the API.");
            return null;
        }
        return source?.Spec?.GetValueOrDefault("query") as string;
    }

    private static SloWindow? Window(SloSpec spec, string path, Errors errors)
    {
        if (spec.TimeWindow is not [{ } window])
        {
            errors.Add($"{path}.spec.timeWindow", "needs exactly one time window.");
            return null;
        }
        if (window.IsRolling != false)
        {
            if (PromDuration.TryParse(window.Duration, out var length)) return SloWindow.Rolling(length);
            errors.Add($"{path}.spec.timeWindow[0].duration", $"'{window.Duration}' is not a rolling duration such as 28d or 4w.");
            return null;
        }
        CalendarUnit? unit = window.Duration switch { "1w" => CalendarUnit.Week, "1M" => CalendarUnit.Month, "1Q" => CalendarUnit.Quarter, _ => null };
        if (unit is null)
        {
            errors.Add($"{path}.spec.timeWindow[0].duration", $"'{window.Duration}' is not supported for a calendar window: 1w, 1M or 1Q.");
            return null;
        }
        return SloWindow.Calendar(unit.Value, window.Calendar?.TimeZone ?? "UTC");
    }

    private static List<BurnCondition>? AlertConditions(SloSpec spec, string path, Named named, Errors errors)
    {
        if (spec.AlertPolicies is not { Count: > 0 } policies) return null;
        var conditions = new List<BurnCondition>();
        for (var i = 0; i < policies.Count; i++)
        {
            if (Policy(policies[i], $"{path}.spec.alertPolicies[{i}]", named, errors) is not { } policy) continue;
            var items = policy.Spec?.Conditions ?? [];
            for (var j = 0; j < items.Count; j++)
            {
                if (Condition(items[j], $"{policy.Path}.spec.conditions[{j}]", named, errors) is { } condition
                    && BurnRate(condition.Spec, condition.Path, errors) is { } burn) conditions.Add(burn);
            }
        }
        return conditions;
    }

    /// <summary>A policy inline, or the document its reference names (an error when the request holds none).</summary>
    private static (AlertPolicySpec? Spec, string Path)? Policy(AlertPolicyItem? item, string path, Named named, Errors errors)
    {
        if (item?.AlertPolicyRef is not { } reference) return item is null ? null : (item.Spec, path);
        if (named.Find<AlertPolicyDocument>(reference) is { } found) return (found.Document.Spec, found.Path);
        errors.Add(path, $"no AlertPolicy document named '{reference}' in this request.");
        return null;
    }

    /// <summary>A condition inline, or the document its reference names (an error when the request holds none).</summary>
    private static (AlertConditionSpec? Spec, string Path)? Condition(AlertConditionItem? item, string path, Named named, Errors errors)
    {
        if (item?.ConditionRef is not { } reference) return item is null ? null : (item.Spec, path);
        if (named.Find<AlertConditionDocument>(reference) is { } found) return (found.Document.Spec, found.Path);
        errors.Add(path, $"no AlertCondition document named '{reference}' in this request.");
        return null;
    }

    private static BurnCondition? BurnRate(AlertConditionSpec? spec, string path, Errors errors)
    {
        var condition = spec?.Condition;
        if (condition?.Kind != "burnrate")
        {
            errors.Add($"{path}.spec.condition.kind", $"'{condition?.Kind}' is not supported: burnrate.");
            return null;
        }
        var severity = spec!.Severity ?? "page";
        var longWindow = Duration(condition.LookbackWindow, $"{path}.spec.condition.lookbackWindow", errors);
        // The short window of the multi-window pair travels as alertAfter.
        var shortWindow = Duration(condition.AlertAfter, $"{path}.spec.condition.alertAfter", errors);
        if (condition.Threshold is null) errors.Add($"{path}.spec.condition.threshold", "is required: the burn rate factor.");
        return condition.Threshold is not { } threshold || longWindow is null || shortWindow is null
            ? null
            : new BurnCondition(severity, longWindow.Value, shortWindow.Value, threshold);
    }

    private static TimeSpan? Duration(string? text, string path, Errors errors)
    {
        if (PromDuration.TryParse(text, out var d)) return d;
        errors.Add(path, text is null ? "is required." : $"'{text}' is not a duration.");
        return null;
    }
}
