using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sre.Domain;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Domain.Time;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// Reads OpenSLO v1 documents of every kind (<see cref="OpenSloKinds"/>) and turns them into what the service runs: each
/// objective of an SLO into an SLO definition (<see cref="Objectives"/>), a DataSource of type Prometheus into a data
/// source to pull from. A reference (<c>indicatorRef</c>, <c>alertPolicyRef</c>, <c>conditionRef</c>, <c>targetRef</c>,
/// <c>metricSourceRef</c>) is resolved in the request first, then in the store (<see cref="Lookup"/>); one that is in
/// neither is an error. Every document is kept whole as well (<see cref="OpenSloDocument.Content"/>): what the service
/// does not run (a Datadog query, a notification target) is stored and exported, never dropped. The service's own SLI
/// details (kind, threshold, rate rule) travel in <c>metadata.annotations</c> under <see cref="Prefix"/>.
/// </summary>
public static partial class OpenSloReader
{
    public const string Prefix = "sre.dev/";
    public const string Prometheus = "Prometheus";

    /// <summary>What the store holds, for references a request does not satisfy: a stored document, or a data source
    /// (configured or imported) by name with its type.</summary>
    /// <param name="Document">A stored document by kind and name.</param>
    /// <param name="SourceType">The type of a data source (configured or imported) by name; null when there is none.</param>
    /// <param name="RunsAsObjectives">True when the store runs an SLO of that name as objectives (<c>{slo}.{objective}</c>): it
    /// keeps them so when it has one objective left, and their history with them.</param>
    public sealed record Lookup(Func<string, string, OpenSloDocument?> Document, Func<string, string?> SourceType, Func<string, bool>? RunsAsObjectives = null)
    {
        public static readonly Lookup Empty = new((_, _) => null, _ => null);
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    private sealed record Envelope<T>(string? ApiVersion, string? Kind, OpenSloMetadata? Metadata, T? Spec);

    /// <summary>The documents of a body, each read and checked (<see cref="OpenSloRules"/>); errors by path.</summary>
    public static List<OpenSloDocument> Parse(string text, Dictionary<string, string[]> errors)
    {
        var documents = new List<OpenSloDocument>();
        foreach (var (path, node) in OpenSloYaml.Read(text, errors))
            if (Document(path, node, errors) is { } document) documents.Add(document);
        if (documents.Count == 0 && errors.Count == 0) errors.TryAdd("body", ["holds no OpenSLO document."]);
        return documents;
    }

    /// <summary>One document: its header, its spec as records, and the rules of its kind.</summary>
    public static OpenSloDocument? Document(string path, JsonNode? node, Dictionary<string, string[]> all)
    {
        if (node is not JsonObject content) { all.TryAdd(path, ["must be a mapping: apiVersion, kind, metadata and spec."]); return null; }
        var apiVersion = (content["apiVersion"] as JsonValue)?.ToString();
        var kind = (content["kind"] as JsonValue)?.ToString();
        if (apiVersion != OpenSloKinds.V1) { all.TryAdd($"{path}.apiVersion", [$"{path}: must be {OpenSloKinds.V1}."]); return null; }
        if (kind is null || !OpenSloKinds.All.Contains(kind))
        {
            all.TryAdd($"{path}.kind", [$"{path}: '{kind}' is not an OpenSLO v1 kind: {string.Join(", ", OpenSloKinds.All)}."]);
            return null;
        }
        var name = ((content["metadata"] as JsonObject)?["name"] as JsonValue)?.ToString() ?? "";
        var errors = new OpenSloRules.Errors(all, $"{path} ({kind} {name})");
        var before = all.Count;
        object? envelope;
        try
        {
            envelope = content.Deserialize(typeof(Envelope<>).MakeGenericType(OpenSloKinds.SpecOf(kind)), Json);
        }
        catch (JsonException e)
        {
            var at = e.Path is { Length: > 1 } p ? p[1..] : "";
            errors.Add(path + at, Wrong(e, Find(content, at)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reads 64 levels: deeper (an alias expanded deep in the document) is not a document.
            errors.Add(path, "is nested too deeply.");
            return null;
        }
        var metadata = (OpenSloMetadata?)envelope!.GetType().GetProperty("Metadata")!.GetValue(envelope);
        var spec = envelope.GetType().GetProperty("Spec")!.GetValue(envelope);
        OpenSloRules.Metadata(metadata, path, errors);
        switch (kind)
        {
            case OpenSloKinds.Service: OpenSloRules.Description((spec as ServiceSpec)?.Description, $"{path}.spec", errors); break;
            case OpenSloKinds.Sli: OpenSloRules.Sli(spec as IndicatorSpec, $"{path}.spec", errors); break;
            case OpenSloKinds.Slo: OpenSloRules.Slo(spec as SloSpec, path, errors); break;
            case OpenSloKinds.DataSource: OpenSloRules.DataSource(spec as DataSourceSpec, path, errors); break;
            case OpenSloKinds.AlertPolicy: OpenSloRules.Policy(spec as AlertPolicySpec, path, errors); break;
            case OpenSloKinds.AlertCondition: OpenSloRules.Condition(spec as AlertConditionSpec, path, errors); break;
            default: OpenSloRules.Target(spec as NotificationTargetSpec, path, errors); break;
        }
        return all.Count > before ? null : new OpenSloDocument(path, kind, name, content, metadata!, spec);
    }

    [GeneratedRegex(@"converted to (?<type>[^\s]+?)\. Path")]
    private static partial Regex ConvertedTo();

    /// <summary>What a value of the wrong shape was expected to be, with the value when it is a scalar.</summary>
    private static string Wrong(JsonException e, JsonNode? node)
    {
        var type = ConvertedTo().Match(e.Message) is { Success: true } m ? m.Groups["type"].Value : "";
        var expected = type.Contains("Double") || type.Contains("Int") ? "a number"
            : type.Contains("Boolean") ? "true or false"
            : type.Contains("String") ? "a string"
            : type.Contains("List") ? "a list"
            : "a mapping";
        return node is JsonValue v ? $"'{Clip(v.ToString())}' is not {expected}." : $"must be {expected}.";
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static JsonNode? Find(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (Match part in PathPart().Matches(path))
            node = part.Groups["index"].Success ? (node as JsonArray)?.ElementAtOrDefault(int.Parse(part.Groups["index"].Value, CultureInfo.InvariantCulture))
                : (node as JsonObject)?[part.Groups["name"].Value];
        return node;
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<name>[^']+)'\]")]
    private static partial Regex PathPart();

    /// <summary>The documents of a request by kind and name; a later one of the same kind and name is an error.</summary>
    public static Dictionary<(string Kind, string Name), OpenSloDocument> Index(IEnumerable<OpenSloDocument> documents, Dictionary<string, string[]> errors)
    {
        var index = new Dictionary<(string, string), OpenSloDocument>();
        foreach (var d in documents)
            if (!index.TryAdd((d.Kind, d.Name), d))
                errors.TryAdd($"{d.Path}.metadata.name", [$"{d.Label}: {index[(d.Kind, d.Name)].Path} is a {d.Kind} of the same name."]);
        return index;
    }

    /// <summary>
    /// The SLO definitions of an SLO document: one per objective, named as the SLO when it has one objective, and
    /// <c>{slo}.{objective}</c> when it has several (the objective's displayName as a DNS label, or <c>objective-{i}</c>).
    /// </summary>
    public static IReadOnlyList<SloDefinition> Objectives(OpenSloDocument document, Func<string, string, OpenSloDocument?> find, Lookup lookup,
        Dictionary<string, string[]> all)
    {
        var errors = new OpenSloRules.Errors(all, document.Label);
        var spec = (SloSpec)document.Spec!;
        var path = document.Path;
        var annotations = document.Metadata.Annotations ?? [];
        var window = Window(spec.TimeWindow![0]!);
        var objectives = spec.Objectives!.Select(o => o!).ToList();
        var composite = objectives.Any(o => o.Indicator is not null || o.IndicatorRef is not null);
        var names = ObjectiveNames(objectives);
        var (conditions, noData, resolved) = AlertPolicies(spec, path, find, errors);
        var minEvents = annotations.TryGetValue(Prefix + "min-events", out var m) && long.TryParse(m, out var n) ? n : 0;
        var labels = (document.Metadata.Labels ?? []).ToDictionary(l => l.Key, l => OpenSloRules.LabelValue(l.Value));

        var definitions = new List<SloDefinition>();
        for (var i = 0; i < objectives.Count; i++)
        {
            var objective = objectives[i];
            var objectivePath = $"{path}.spec.objectives[{i}]";
            var (indicator, indicatorPath) = composite
                ? Indicator(objective.Indicator, objective.IndicatorRef, objectivePath, find, errors)
                : Indicator(spec.Indicator, spec.IndicatorRef, $"{path}.spec", find, errors);
            if (indicator is null) continue;
            var sli = Sli(indicator, indicatorPath, objective, objectivePath, annotations, find, lookup, errors);
            var target = objective.Target ?? ErrorBudget.RatioOf(objective.TargetPercent!.Value);
            var slice = OpenSloDuration.SliceLength(objective.TimeSliceWindow);
            var budgeting = spec.BudgetingMethod switch
            {
                "Timeslices" => new Budgeting(BudgetingMethod.Timeslices, slice, objective.TimeSliceTarget),
                "RatioTimeslices" => new Budgeting(BudgetingMethod.RatioTimeslices, slice),
                _ => Budgeting.Occurrences,
            };
            if (sli is null || conditions is { } failed && failed.Any(c => c is null)) continue;
            var several = objectives.Count > 1 || lookup.RunsAsObjectives?.Invoke(document.Name) == true;
            var definition = new SloDefinition(
                several ? $"{document.Name}.{names[i]}" : document.Name, spec.Service!, spec.Description, sli, target, window, budgeting,
                labels, new AlertingOptions(conditions?.Select(c => c!).ToList(), minEvents, noData, resolved),
                several ? new SloObjective(document.Name, names[i], objective.DisplayName, objective.CompositeWeight ?? 1, composite) : null);
            foreach (var (field, messages) in SloRules.Check(definition))
                errors.Add(field.StartsWith("sli.", StringComparison.Ordinal) ? $"{indicatorPath}.{field}"
                    : field.StartsWith("alerting.", StringComparison.Ordinal) ? $"{path}.spec.alertPolicies"
                    : field.StartsWith("window.", StringComparison.Ordinal) ? $"{path}.spec.timeWindow[0]"
                    : $"{objectivePath}.{field}", messages[0]);
            definitions.Add(definition);
        }
        return definitions;
    }

    /// <summary>Each objective's name: its displayName as a DNS label when that is one of a kind, otherwise <c>objective-{i}</c>.</summary>
    public static IReadOnlyList<string> ObjectiveNames(IReadOnlyList<Objective> objectives)
    {
        var slugs = objectives.Select(o => Slug(o.DisplayName)).ToList();
        var names = slugs.Select((s, i) => s is not null && slugs.Count(x => x == s) == 1 && SloRules.IsDnsLabel(s) ? s : $"objective-{i}").ToList();
        // A displayName of "Objective 1" beside an objective without one would meet its fallback: then every objective is its index.
        return names.Distinct().Count() == names.Count ? names : objectives.Select((_, i) => $"objective-{i}").ToList();
    }

    private static string? Slug(string? displayName)
    {
        if (string.IsNullOrWhiteSpace(displayName)) return null;
        var slug = NotLabel().Replace(displayName.ToLowerInvariant(), "-").Trim('-');
        return slug.Length is > 0 and <= 40 ? slug : null;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotLabel();

    /// <summary>The window as written: rolling of any length (a month 30 days), or calendar periods counted from startTime in timeZone.</summary>
    private static SloWindow Window(TimeWindow window)
    {
        var (count, unit) = OpenSloDuration.Parse(window.Duration)!.Value;
        if (window.IsRolling ?? window.Calendar is null) return SloWindow.Rolling(OpenSloDuration.Length(count, unit));
        return SloWindow.Calendar(count, unit, OpenSloRules.StartTime(window.Calendar!.StartTime)!.Value, window.Calendar.TimeZone!).Canonical();
    }

    private static (IndicatorSpec? Spec, string Path) Indicator(InlineIndicator? inline, string? reference, string path,
        Func<string, string, OpenSloDocument?> find, OpenSloRules.Errors errors)
    {
        if (inline is not null) return (inline.Spec, $"{path}.indicator.spec");
        if (reference is not null && find(OpenSloKinds.Sli, reference) is { } sli) return ((IndicatorSpec)sli.Spec!, $"{sli.Path}.spec");
        errors.Add($"{path}.indicatorRef", $"no SLI named '{reference}' in this request or the store.");
        return (null, path);
    }

    /// <summary>
    /// The SLI: PromQL when every metric source it reads is of type Prometheus (given, or the type of the DataSource it
    /// names), and otherwise an SLI whose slices are pushed; a threshold SLI takes the objective's op and value.
    /// </summary>
    private static SliSpec? Sli(IndicatorSpec indicator, string path, Objective objective, string objectivePath, Dictionary<string, string?> annotations,
        Func<string, string, OpenSloDocument?> find, Lookup lookup, OpenSloRules.Errors errors)
    {
        var sides = new[] { ("good", indicator.RatioMetric?.Good), ("bad", indicator.RatioMetric?.Bad), ("total", indicator.RatioMetric?.Total),
            ("raw", indicator.RatioMetric?.Raw), ("threshold", indicator.ThresholdMetric) }.Where(s => s.Item2 is not null).ToList();
        var queries = new Dictionary<string, string>();
        var prometheus = true;
        string? source = null;
        foreach (var (side, metric) in sides)
        {
            var at = side == "threshold" ? $"{path}.thresholdMetric.metricSource" : $"{path}.ratioMetric.{side}.metricSource";
            var ms = metric!.MetricSource!;
            var type = ms.Type;
            if (ms.MetricSourceRef is { } reference)
            {
                var named = find(OpenSloKinds.DataSource, reference) is { } d ? ((DataSourceSpec)d.Spec!).Type : lookup.SourceType(reference);
                if (named is null) { errors.Add($"{at}.metricSourceRef", $"no DataSource named '{reference}' in this request, the store or configuration."); return null; }
                if (type is not null && !string.Equals(type, named, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{at}.type", $"'{type}' is not the type of the DataSource '{reference}' it names: {named}.");
                    return null;
                }
                type ??= named;
                if (source is not null && source != reference)
                {
                    errors.Add($"{at}.metricSourceRef", $"names '{reference}' where another side of the SLI names '{source}': an SLI reads one data source.");
                    return null;
                }
                source = reference;
            }
            if (!string.Equals(type, Prometheus, StringComparison.OrdinalIgnoreCase)) { prometheus = false; continue; }
            if (ms.Spec?["query"] is JsonValue q && q.GetValueKind() == JsonValueKind.String && q.GetValue<string>() is { Length: > 0 } query) queries[side] = query;
            else errors.Add($"{at}.spec.query", "is required for a Prometheus source: the PromQL.");
        }
        // Data from elsewhere (Datadog, CloudWatch, your own): the slices are pushed, and the sources kept for export.
        if (!prometheus) (queries, source) = ([], null);

        var kindText = annotations.GetValueOrDefault(Prefix + "sli-kind") ?? "availability";
        if (EnumText.Parse<SliKind>(kindText) is not { } kind) { errors.Add($"metadata.annotations.{Prefix}sli-kind", $"'{kindText}' is not an SLI kind."); return null; }
        TimeSpan? limit = PromDuration.TryParse(annotations.GetValueOrDefault(Prefix + "threshold"), out var t) ? t : null;
        RateRule? rate = null;
        if (annotations.GetValueOrDefault(Prefix + "rate-min-per-minute") is { } min && double.TryParse(min, CultureInfo.InvariantCulture, out var perMinute))
        {
            double? drop = double.TryParse(annotations.GetValueOrDefault(Prefix + "rate-max-drop"), CultureInfo.InvariantCulture, out var dr) ? dr : null;
            TimeSpan? back = PromDuration.TryParse(annotations.GetValueOrDefault(Prefix + "rate-drop-window"), out var w) ? w : null;
            rate = new RateRule(perMinute, drop, back);
        }
        TimeSpan? sliceLength = null;
        if (annotations.GetValueOrDefault(Prefix + "slice-length") is { } length)
        {
            if (PromDuration.TryParse(length, out var l)) sliceLength = l;
            else errors.Add($"metadata.annotations.{Prefix}slice-length", $"'{length}' is not a duration.");
        }
        DateTimeOffset? historyFrom = null;
        if (annotations.GetValueOrDefault(Prefix + "history-from") is { } fromText)
        {
            if (DateTimeOffset.TryParse(fromText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var from)) historyFrom = from;
            else errors.Add($"metadata.annotations.{Prefix}history-from", $"'{fromText}' is not an RFC 3339 instant.");
        }
        if (!prometheus) (sliceLength, historyFrom) = (null, null);

        ThresholdOp? op = null;
        double? value = null;
        if (indicator.ThresholdMetric is not null)
        {
            if (objective.Op is null) errors.Add($"{objectivePath}.op", "is required with a thresholdMetric: gt, lt, gte or lte.");
            if (objective.Value is null) errors.Add($"{objectivePath}.value", "is required with a thresholdMetric: the threshold, in the metric's units.");
            op = EnumText.Parse<ThresholdOp>(objective.Op ?? "");
            value = objective.Value;
            if (op is null || value is null) return null;
        }
        RawType? rawType = indicator.RatioMetric?.Raw is not null ? EnumText.Parse<RawType>(indicator.RatioMetric.RawType!) : null;
        // A rate SLI counts its total alone: the good side OpenSLO requires beside it is not read.
        if (kind == SliKind.Rate)
        {
            queries.Remove("good");
            queries.Remove("bad");
        }
        return new SliSpec(kind, limit, rate, queries.GetValueOrDefault("good"), queries.GetValueOrDefault("total"), queries.GetValueOrDefault("bad"),
            queries.Count > 0 ? source : null, historyFrom, queries.GetValueOrDefault("threshold"), op, value, sliceLength,
            queries.GetValueOrDefault("raw"), rawType);
    }

    /// <summary>
    /// The burn-rate conditions of the SLO's alert policies (null when it has none: the workbook's table), whether any asks
    /// for an alert on no data, and whether resolved alerts are told (unless every policy says not). A policy with
    /// <c>alertWhenBreaching: false</c> gives no condition. A condition's <c>lookbackWindow</c> is the long window and
    /// <c>alertAfter</c> the short one that confirms the burn still goes on (absent or 0m: a twelfth of the long, the
    /// workbook's ratio); <c>op</c> says how the burn rate compares with <c>threshold</c>. A reference that resolves nowhere is a null in the list (and an error).
    /// </summary>
    private static (List<BurnCondition?>? Conditions, bool NoData, bool Resolved) AlertPolicies(SloSpec spec, string path,
        Func<string, string, OpenSloDocument?> find, OpenSloRules.Errors errors)
    {
        if (spec.AlertPolicies is not { Count: > 0 } items) return (null, false, true);
        var conditions = new List<BurnCondition?>();
        var (noData, resolved) = (false, false);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{path}.spec.alertPolicies[{i}]";
            var (policy, policyPath) = Resolve(items[i]!.AlertPolicyRef, items[i]!.Spec, OpenSloKinds.AlertPolicy, at, "alertPolicyRef", find, errors);
            if (policy is null) { conditions.Add(null); continue; }
            noData |= policy.AlertWhenNoData == true;
            resolved |= policy.AlertWhenResolved != false;
            foreach (var (target, t) in (policy.NotificationTargets ?? []).Select((x, j) => (x!, j)))
                if (target.TargetRef is { } reference && find(OpenSloKinds.AlertNotificationTarget, reference) is null)
                    errors.Add($"{policyPath}.spec.notificationTargets[{t}].targetRef", $"no AlertNotificationTarget named '{reference}' in this request or the store.");
            var item = policy.Conditions![0]!;
            var (condition, conditionPath) = Resolve(item.ConditionRef, item.Spec, OpenSloKinds.AlertCondition, $"{policyPath}.spec.conditions[0]", "conditionRef", find, errors);
            if (condition is null) { conditions.Add(null); continue; }
            if (policy.AlertWhenBreaching == false) continue;
            var c = condition.Condition!;
            var longWindow = OpenSloDuration.Window(c.LookbackWindow)!.Value;
            var shortWindow = c.AlertAfter is null or "0m" ? longWindow / 12 : OpenSloDuration.Window(c.AlertAfter)!.Value;
            if (shortWindow >= longWindow)
            {
                errors.Add($"{conditionPath}.spec.condition.alertAfter", "must be shorter than lookbackWindow: it is the short window that confirms the burn goes on.");
                conditions.Add(null);
                continue;
            }
            // gt is the service's own comparison (no op); gte, lt and lte are kept on the condition.
            var op = EnumText.Parse<ThresholdOp>(c.Op!) is var parsed && parsed != ThresholdOp.Gt ? parsed : null;
            conditions.Add(new BurnCondition(condition.Severity!, longWindow, shortWindow, c.Threshold!.Value, op));
        }
        return (conditions, noData, resolved);
    }

    private static (T? Spec, string Path) Resolve<T>(string? reference, T? inline, string kind, string path, string refName,
        Func<string, string, OpenSloDocument?> find, OpenSloRules.Errors errors) where T : class
    {
        if (reference is null) return (inline, path);
        if (find(kind, reference) is { } found) return ((T)found.Spec!, found.Path);
        errors.Add($"{path}.{refName}", $"no {kind} named '{reference}' in this request or the store.");
        return (null, path);
    }

    /// <summary>A DataSource of type Prometheus as the data source the puller uses; null (and nothing to run) for any other type.</summary>
    public static DataSourceDefinition? DataSource(OpenSloDocument document, Dictionary<string, string[]> all)
    {
        var spec = (DataSourceSpec)document.Spec!;
        if (!string.Equals(spec.Type, Prometheus, StringComparison.OrdinalIgnoreCase)) return null;
        var errors = new OpenSloRules.Errors(all, document.Label);
        ConnectionDetails? details;
        try
        {
            details = spec.ConnectionDetails.Deserialize<ConnectionDetails>(Json);
        }
        catch (JsonException e)
        {
            errors.Add($"{document.Path}.spec.connectionDetails{(e.Path is { Length: > 1 } p ? p[1..] : "")}", Wrong(e, null));
            return null;
        }
        var (definition, problems) = DataSourceRules.Read(document.Name, spec.Type, spec.Description, details?.Url, details?.Headers, details?.QueryTimeout,
            details?.BearerToken, details?.Username, details?.Password);
        foreach (var (field, messages) in problems) errors.Add($"{document.Path}.{field}", messages[0]);
        return definition;
    }
}
