using System.Globalization;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// Reads OpenSLO v1 documents (Service, SLI, SLO with an inline indicator or indicatorRef, AlertPolicy and
/// AlertCondition of kind burnrate) into SLO definitions. What the service does not support is an error naming
/// its field, never silently dropped. The service's own SLI details (kind, threshold, rate rule) travel in
/// metadata.annotations under the "sre.dev/" prefix, so that an export imports back to the same SLO.
/// </summary>
public static class OpenSloReader
{
    public const string Prefix = "sre.dev/";

    public sealed record Result(IReadOnlyList<SloDefinition> Slos, Dictionary<string, string[]> Errors);

    private sealed class Errors(Dictionary<string, string[]> all)
    {
        public void Add(string path, string message) => all.TryAdd(path, [message]);
    }

    public static Result Read(string yaml)
    {
        var all = new Dictionary<string, string[]>();
        var errors = new Errors(all);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add("body", $"is not YAML: {e.Message}");
            return new Result([], all);
        }

        var docs = stream.Documents.Select((d, i) => (Path: $"documents[{i}]", Node: d.RootNode as YamlMappingNode)).ToList();
        var byKind = new Dictionary<string, Dictionary<string, (string Path, YamlMappingNode Node)>>();
        foreach (var (path, node) in docs)
        {
            if (node is null) { errors.Add(path, "must be a mapping."); continue; }
            if (Text(node, "apiVersion") != "openslo/v1") { errors.Add($"{path}.apiVersion", "must be openslo/v1."); continue; }
            var kind = Text(node, "kind");
            if (kind is not ("Service" or "SLI" or "SLO" or "AlertPolicy" or "AlertCondition"))
            {
                errors.Add($"{path}.kind", $"'{kind}' is not supported: Service, SLI, SLO, AlertPolicy or AlertCondition.");
                continue;
            }
            var name = Text(Map(node, "metadata"), "name");
            if (name is null) { errors.Add($"{path}.metadata.name", "is required."); continue; }
            if (!byKind.TryGetValue(kind, out var named)) byKind[kind] = named = new();
            named[name] = (path, node);
        }

        var slos = new List<SloDefinition>();
        foreach (var (name, (path, node)) in byKind.GetValueOrDefault("SLO") ?? new())
        {
            if (Slo(name, path, node, byKind, errors) is { } slo) slos.Add(slo);
        }
        if (slos.Count == 0 && all.Count == 0) errors.Add("body", "holds no SLO document.");
        return new Result(slos, all);
    }

    private static SloDefinition? Slo(string name, string path, YamlMappingNode node,
        Dictionary<string, Dictionary<string, (string Path, YamlMappingNode Node)>> byKind, Errors errors)
    {
        var metadata = Map(node, "metadata")!;
        var spec = Map(node, "spec");
        if (spec is null) { errors.Add($"{path}.spec", "is required."); return null; }
        var annotations = Strings(Map(metadata, "annotations"));
        var service = Text(spec, "service");
        if (service is null) errors.Add($"{path}.spec.service", "is required.");

        var (indicator, indicatorPath) = Indicator(spec, path, byKind, errors);
        var sli = Sli(indicator, indicatorPath, annotations, errors);

        var window = Window(spec, path, errors);
        var objectives = spec.Children.TryGetValue("objectives", out var o) ? o as YamlSequenceNode : null;
        if (objectives is null || objectives.Children.Count == 0) { errors.Add($"{path}.spec.objectives", "needs one objective."); return null; }
        if (objectives.Children.Count > 1) errors.Add($"{path}.spec.objectives[1]", "one objective per SLO is supported; split it into several SLOs.");
        var objective = (YamlMappingNode)objectives.Children[0];
        var target = Number(objective, "target") ?? (Number(objective, "targetPercent") is { } p ? ErrorBudget.RatioOf(p) : null);
        if (target is null) errors.Add($"{path}.spec.objectives[0].target", "is required (or targetPercent).");

        var method = Text(spec, "budgetingMethod") ?? "Occurrences";
        Budgeting? budgeting = method switch
        {
            "Occurrences" => Budgeting.Occurrences,
            "Timeslices" => new Budgeting(BudgetingMethod.Timeslices, Duration(objective, "timeSliceWindow", $"{path}.spec.objectives[0]", errors),
                Number(objective, "timeSliceTarget")),
            "RatioTimeslices" => new Budgeting(BudgetingMethod.RatioTimeslices,
                Duration(objective, "timeSliceWindow", $"{path}.spec.objectives[0]", errors)),
            _ => null,
        };
        if (budgeting is null) errors.Add($"{path}.spec.budgetingMethod", $"'{method}' is not Occurrences, Timeslices or RatioTimeslices.");

        var conditions = AlertConditions(spec, path, byKind, errors);
        var minEvents = annotations.TryGetValue(Prefix + "min-events", out var m) && long.TryParse(m, out var n) ? n : 0;
        if (sli is null || window is null || target is null || budgeting is null || service is null) return null;

        var labels = Strings(Map(metadata, "labels"));
        var definition = new SloDefinition(name, service, Text(spec, "description"), sli, target.Value, window, budgeting, labels,
            new AlertingOptions(conditions, minEvents));
        foreach (var (field, messages) in SloRules.Check(definition)) errors.Add($"{path}.{field}", messages[0]);
        return definition;
    }

    private static (YamlMappingNode? Spec, string Path) Indicator(YamlMappingNode spec, string path,
        Dictionary<string, Dictionary<string, (string Path, YamlMappingNode Node)>> byKind, Errors errors)
    {
        if (Map(spec, "indicator") is { } inline) return (Map(inline, "spec"), $"{path}.spec.indicator.spec");
        if (Text(spec, "indicatorRef") is { } reference)
        {
            if (byKind.GetValueOrDefault("SLI")?.GetValueOrDefault(reference) is { Node: not null } sli) return (Map(sli.Node, "spec"), $"{sli.Path}.spec");
            errors.Add($"{path}.spec.indicatorRef", $"no SLI document named '{reference}' in this request.");
            return (null, path);
        }
        errors.Add($"{path}.spec.indicator", "is required (or indicatorRef).");
        return (null, path);
    }

    private static SliSpec? Sli(YamlMappingNode? indicator, string path, Dictionary<string, string> annotations, Errors errors)
    {
        if (indicator is null) return null;
        if (indicator.Children.ContainsKey("thresholdMetric"))
        {
            errors.Add($"{path}.thresholdMetric", "is not supported: send good and total counts (ratioMetric).");
            return null;
        }
        string? good = null, total = null;
        if (Map(indicator, "ratioMetric") is { } ratio)
        {
            if (Map(ratio, "bad") is not null) errors.Add($"{path}.ratioMetric.bad", "is not supported: use good and total.");
            if (Map(ratio, "raw") is not null) errors.Add($"{path}.ratioMetric.raw", "is not supported: use good and total.");
            good = Query(Map(ratio, "good"), $"{path}.ratioMetric.good", errors);
            total = Query(Map(ratio, "total"), $"{path}.ratioMetric.total", errors);
        }
        var kindText = annotations.GetValueOrDefault(Prefix + "sli-kind") ?? "availability";
        if (!Enum.TryParse<SliKind>(kindText, true, out var kind))
        {
            errors.Add($"annotations.{Prefix}sli-kind", $"'{kindText}' is not an SLI kind.");
            return null;
        }
        TimeSpan? threshold = PromDuration.TryParse(annotations.GetValueOrDefault(Prefix + "threshold"), out var t) ? t : null;
        RateRule? rate = null;
        if (annotations.TryGetValue(Prefix + "rate-min-per-minute", out var min) && double.TryParse(min, CultureInfo.InvariantCulture, out var perMinute))
        {
            double? drop = double.TryParse(annotations.GetValueOrDefault(Prefix + "rate-max-drop"), CultureInfo.InvariantCulture, out var d) ? d : null;
            TimeSpan? back = PromDuration.TryParse(annotations.GetValueOrDefault(Prefix + "rate-drop-window"), out var w) ? w : null;
            rate = new RateRule(perMinute, drop, back);
        }
        return new SliSpec(kind, threshold, rate, good, total);
    }

    private static string? Query(YamlMappingNode? side, string path, Errors errors)
    {
        if (side is null) return null;
        var source = Map(side, "metricSource");
        var type = Text(source, "type");
        if (type is not null && !type.Equals("Prometheus", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}.metricSource.type", $"'{type}' is not supported: Prometheus, or send slices to the API.");
            return null;
        }
        return Text(Map(source, "spec"), "query");
    }

    private static SloWindow? Window(YamlMappingNode spec, string path, Errors errors)
    {
        if (!spec.Children.TryGetValue("timeWindow", out var node) || node is not YamlSequenceNode { Children.Count: 1 } list)
        {
            errors.Add($"{path}.spec.timeWindow", "needs exactly one time window.");
            return null;
        }
        var window = (YamlMappingNode)list.Children[0];
        var duration = Text(window, "duration");
        var rolling = Text(window, "isRolling") is not ("false" or "False");
        if (rolling)
        {
            if (PromDuration.TryParse(duration, out var length)) return SloWindow.Rolling(length);
            errors.Add($"{path}.spec.timeWindow[0].duration", $"'{duration}' is not a rolling duration such as 28d or 4w.");
            return null;
        }
        CalendarUnit? unit = duration switch { "1w" => CalendarUnit.Week, "1M" => CalendarUnit.Month, "1Q" => CalendarUnit.Quarter, _ => null };
        if (unit is null)
        {
            errors.Add($"{path}.spec.timeWindow[0].duration", $"'{duration}' is not supported for a calendar window: 1w, 1M or 1Q.");
            return null;
        }
        return SloWindow.Calendar(unit.Value, Text(Map(window, "calendar"), "timeZone") ?? "UTC");
    }

    private static IReadOnlyList<BurnCondition>? AlertConditions(YamlMappingNode spec, string path,
        Dictionary<string, Dictionary<string, (string Path, YamlMappingNode Node)>> byKind, Errors errors)
    {
        if (!spec.Children.TryGetValue("alertPolicies", out var node) || node is not YamlSequenceNode policies || policies.Children.Count == 0)
            return null;
        var conditions = new List<BurnCondition>();
        for (var i = 0; i < policies.Children.Count; i++)
        {
            var policy = Resolve(policies.Children[i], $"{path}.spec.alertPolicies[{i}]", "AlertPolicy", "alertPolicyRef", byKind, errors);
            if (policy.Node is null) continue;
            if (Map(policy.Node, "spec")?.Children.TryGetValue("conditions", out var c) != true || c is not YamlSequenceNode list) continue;
            for (var j = 0; j < list.Children.Count; j++)
            {
                var condition = Resolve(list.Children[j], $"{policy.Path}.spec.conditions[{j}]", "AlertCondition", "conditionRef", byKind, errors);
                if (condition.Node is not null && BurnRate(condition.Node, condition.Path, errors) is { } burn) conditions.Add(burn);
            }
        }
        return conditions;
    }

    private static BurnCondition? BurnRate(YamlMappingNode node, string path, Errors errors)
    {
        var spec = Map(node, "spec");
        var condition = Map(spec, "condition");
        if (Text(condition, "kind") != "burnrate")
        {
            errors.Add($"{path}.spec.condition.kind", $"'{Text(condition, "kind")}' is not supported: burnrate.");
            return null;
        }
        var severity = Text(spec, "severity") ?? "page";
        var threshold = Number(condition!, "threshold");
        var longWindow = Duration(condition!, "lookbackWindow", $"{path}.spec.condition", errors);
        // The short window of the multi-window pair travels as alertAfter.
        var shortWindow = Duration(condition!, "alertAfter", $"{path}.spec.condition", errors);
        if (threshold is null) errors.Add($"{path}.spec.condition.threshold", "is required: the burn rate factor.");
        return threshold is null || longWindow is null || shortWindow is null
            ? null
            : new BurnCondition(severity, longWindow.Value, shortWindow.Value, threshold.Value);
    }

    private static (YamlMappingNode? Node, string Path) Resolve(YamlNode item, string path, string kind, string refKey,
        Dictionary<string, Dictionary<string, (string Path, YamlMappingNode Node)>> byKind, Errors errors)
    {
        var reference = item is YamlScalarNode scalar ? scalar.Value : item is YamlMappingNode m ? Text(m, refKey) : null;
        if (reference is null) return (item as YamlMappingNode, path);
        if (byKind.GetValueOrDefault(kind)?.GetValueOrDefault(reference) is { Node: not null } found) return (found.Node, found.Path);
        errors.Add(path, $"no {kind} document named '{reference}' in this request.");
        return (null, path);
    }

    private static YamlMappingNode? Map(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(key, out var value) ? value as YamlMappingNode : null;

    private static string? Text(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(key, out var value) && value is YamlScalarNode s ? s.Value : null;

    private static double? Number(YamlMappingNode node, string key) =>
        double.TryParse(Text(node, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static TimeSpan? Duration(YamlMappingNode node, string key, string path, Errors errors)
    {
        var text = Text(node, key);
        if (PromDuration.TryParse(text, out var d)) return d;
        errors.Add($"{path}.{key}", text is null ? "is required." : $"'{text}' is not a duration.");
        return null;
    }

    private static Dictionary<string, string> Strings(YamlMappingNode? node) =>
        node?.Children.Where(c => c.Value is YamlScalarNode).ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "")
        ?? new Dictionary<string, string>();
}
