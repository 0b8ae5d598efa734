using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sre.Domain;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Domain.Time;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// Writes what the service runs as OpenSLO v1 documents that <see cref="OpenSloReader"/> reads back to the same thing and
/// that OpenSLO's validator accepts: an SLO (all its objectives) with its indicator and alert policies inline (one policy
/// per burn-rate condition, each notifying <see cref="AlertmanagerTarget"/>), and a Prometheus data source. Used for what
/// was defined through the JSON API, or changed there since its import; an imported document is exported as it came.
/// </summary>
public static class OpenSloWriter
{
    /// <summary>The notification target of the policies the service writes: it alerts through Prometheus and Alertmanager.</summary>
    public const string AlertmanagerTarget = "alertmanager";

    /// <summary>The metric source type of an SLI whose slices are pushed to the service.</summary>
    public const string PushedType = "SrePush";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Envelope<T>(string ApiVersion, string Kind, OpenSloMetadata Metadata, T Spec);

    public static string Write(params SloDefinition[] objectives) => OpenSloYaml.Write([Document(objectives)]);

    public static string Write(DataSourceDefinition d) => OpenSloYaml.Write([Document(d)]);

    /// <summary>A data source as the document <see cref="OpenSloReader"/> reads back to it: secrets as references to configuration, never their values.</summary>
    public static JsonObject Document(DataSourceDefinition d) => Node(OpenSloKinds.DataSource, new OpenSloMetadata { Name = d.Name }, new DataSourceSpec
    {
        Description = d.Description,
        Type = DataSourceRules.Prometheus,
        ConnectionDetails = JsonSerializer.SerializeToNode(new ConnectionDetails
        {
            Url = d.Url,
            Headers = d.Headers.Count == 0 ? null : d.Headers.ToDictionary(h => h.Key, h => (string?)h.Value),
            QueryTimeout = d.QueryTimeout is { } timeout ? PromDuration.Format(timeout) : null,
            BearerToken = d.Auth == DataSourceAuth.Bearer ? DataSourceRules.Reference(d.Name, "BearerToken") : null,
            Username = d.Auth == DataSourceAuth.Basic ? d.Username : null,
            Password = d.Auth == DataSourceAuth.Basic ? DataSourceRules.Reference(d.Name, "Password") : null,
        }, Json),
    });

    /// <summary>
    /// One SLO document from the definitions of its objectives (one, or the <c>{slo}.{objective}</c> of one OpenSLO SLO):
    /// the indicator on the spec when they share it, on each objective (a composite SLO) when not.
    /// </summary>
    public static JsonObject Document(IReadOnlyList<SloDefinition> objectives)
    {
        var d = objectives[0];
        var name = d.Objective?.Slo ?? d.Name;
        var composite = d.Objective?.Composite == true || objectives.Any(o => o.Sli != d.Sli);
        return Node(OpenSloKinds.Slo, new OpenSloMetadata
        {
            Name = name,
            Labels = d.Labels.Count == 0 ? null : d.Labels.ToDictionary(l => l.Key, l => (JsonNode?)JsonValue.Create(l.Value)),
            Annotations = Annotations(d),
        }, new SloSpec
        {
            Description = d.Description,
            Service = d.Service,
            Indicator = composite ? null : Indicator(d),
            TimeWindow = [Window(d.Window)],
            BudgetingMethod = d.Budgeting.Method.ToString(),
            Objectives = objectives.Select(o => (Objective?)new Objective
            {
                // An objective's name is kept through its displayName (read back as the same label).
                DisplayName = o.Objective is { } objective ? objective.DisplayName ?? objective.Name : o.Name,
                Target = o.Target,
                // A slice that is not whole minutes is written as a number of minutes (0.5), which OpenSLO allows.
                TimeSliceWindow = o.Budgeting.SliceLength is { } slice
                    ? OpenSloDuration.Format(slice) is { } shorthand ? JsonValue.Create(shorthand) : JsonValue.Create((decimal)slice.Ticks / TimeSpan.TicksPerMinute)
                    : null,
                TimeSliceTarget = o.Budgeting.SliceTarget,
                Op = o.Sli.IsThreshold ? EnumText.Name(o.Sli.Op!.Value) : null,
                Value = o.Sli.IsThreshold ? o.Sli.Value : null,
                Indicator = composite ? Indicator(o) : null,
                CompositeWeight = o.Objective is { CompositeWeight: not 1 } weighted ? weighted.CompositeWeight : null,
            }).ToList(),
            AlertPolicies = Policies(name, d.Alerting, SloPeriod.At(d.Window, DateTimeOffset.UnixEpoch).Length),
        });
    }

    private static JsonObject Node<T>(string kind, OpenSloMetadata metadata, T spec) =>
        JsonSerializer.SerializeToNode(new Envelope<T>(OpenSloKinds.V1, kind, metadata, spec), Json)!.AsObject();

    private static InlineIndicator Indicator(SloDefinition d) => new()
    {
        Metadata = new OpenSloMetadata { Name = Label($"{d.Name.Replace('.', '-')}-sli") },
        Spec = d.Sli.IsThreshold ? new IndicatorSpec { ThresholdMetric = Metric(d, d.Sli.ThresholdQuery) }
            : d.Sli.IsRaw ? new IndicatorSpec { RatioMetric = new RatioMetric { Raw = Metric(d, d.Sli.RawQuery), RawType = EnumText.Name(d.Sli.RawType!.Value) } }
            : new IndicatorSpec
            {
                RatioMetric = new RatioMetric
                {
                    Counter = true,
                    // A rate SLI counts its total alone; OpenSLO wants good or bad beside it, which is not read back.
                    Good = d.Sli.Kind == SliKind.Rate ? Metric(d, d.Sli.TotalQuery) : d.Sli.BadQuery is null ? Metric(d, d.Sli.GoodQuery) : null,
                    Bad = d.Sli.Kind == SliKind.Rate || d.Sli.BadQuery is null ? null : Metric(d, d.Sli.BadQuery),
                    Total = Metric(d, d.Sli.TotalQuery),
                },
            },
    };

    private static Dictionary<string, string?> Annotations(SloDefinition d)
    {
        var annotations = new Dictionary<string, string?> { [OpenSloReader.Prefix + "sli-kind"] = EnumText.Name(d.Sli.Kind) };
        if (d.Sli.Threshold is { } threshold) annotations[OpenSloReader.Prefix + "threshold"] = PromDuration.Format(threshold);
        if (d.Sli.Rate is { } rate)
        {
            annotations[OpenSloReader.Prefix + "rate-min-per-minute"] = Invariant(rate.MinPerMinute);
            if (rate.MaxDrop is { } drop) annotations[OpenSloReader.Prefix + "rate-max-drop"] = Invariant(drop);
            if (rate.DropWindow is { } back) annotations[OpenSloReader.Prefix + "rate-drop-window"] = PromDuration.Format(back);
        }
        if (d.Sli.SliceLength is { } slice) annotations[OpenSloReader.Prefix + "slice-length"] = PromDuration.Format(slice);
        if (d.Sli.HistoryFrom is { } from) annotations[OpenSloReader.Prefix + "history-from"] = from.ToString("O", CultureInfo.InvariantCulture);
        if (d.Alerting.MinEvents > 0) annotations[OpenSloReader.Prefix + "min-events"] = d.Alerting.MinEvents.ToString(CultureInfo.InvariantCulture);
        return annotations;
    }

    /// <summary>One query as a metric source: Prometheus naming the SLI's data source, or (no query) the slices pushed here.</summary>
    private static MetricQuery Metric(SloDefinition d, string? query) => new()
    {
        MetricSource = query is null
            ? new MetricSource { Type = PushedType, Spec = new JsonObject { ["observations"] = $"/api/v1/slos/{d.Name}/observations" } }
            : new MetricSource { MetricSourceRef = d.Sli.DataSource, Type = OpenSloReader.Prometheus, Spec = new JsonObject { ["query"] = query } },
    };

    private static TimeWindow Window(SloWindow w) => w.Kind == WindowKind.Rolling
        ? new TimeWindow { Duration = OpenSloDuration.Format(w.Duration!.Value), IsRolling = true }
        : new TimeWindow
        {
            Duration = $"{w.Count ?? 1}{OpenSloDuration.Letter(w.Unit!.Value)}",
            IsRolling = false,
            Calendar = new Calendar
            {
                StartTime = (w.StartTime ?? SloPeriod.DefaultStart(w.Unit.Value)).ToString(OpenSloRules.StartTimeFormat, CultureInfo.InvariantCulture),
                TimeZone = w.TimeZone ?? "UTC",
            },
        };

    /// <summary>
    /// One policy per condition (OpenSLO v1 allows one condition a policy). No conditions given (the workbook's table)
    /// writes no policy; no conditions at all writes one that does not alert on breaching.
    /// </summary>
    private static List<AlertPolicyItem?>? Policies(string slo, AlertingOptions alerting, TimeSpan period)
    {
        if (alerting.Conditions is not { } conditions) return null;
        var breaching = conditions.Count > 0;
        return (breaching ? conditions : [BurnRateMath.DefaultConditions(period)[0]]).Select((c, i) => (c, Name: Label($"{slo}-{c.Severity.ToLowerInvariant().Replace('_', '-')}-{i}")))
            .Select(x => (AlertPolicyItem?)Policy(x.c, x.Name, breaching, alerting)).ToList();
    }

    /// <summary>A policy of one condition, both named <paramref name="name"/>, notifying Alertmanager.</summary>
    private static AlertPolicyItem Policy(BurnCondition c, string name, bool breaching, AlertingOptions alerting) => new()
    {
        Kind = OpenSloKinds.AlertPolicy,
        Metadata = new OpenSloMetadata { Name = name },
        Spec = new AlertPolicySpec
        {
            AlertWhenBreaching = breaching,
            AlertWhenNoData = alerting.NoData,
            AlertWhenResolved = alerting.Resolved,
            Conditions =
                [
                    new AlertConditionItem
                    {
                        Kind = OpenSloKinds.AlertCondition,
                        Metadata = new OpenSloMetadata { Name = name },
                        Spec = new AlertConditionSpec
                        {
                            Severity = c.Severity,
                            Condition = new AlertConditionRule
                            {
                                Kind = "burnrate",
                                Op = EnumText.Name(c.Op ?? ThresholdOp.Gt),
                                Threshold = c.Factor,
                                LookbackWindow = OpenSloDuration.Format(c.LongWindow) ?? PromDuration.Format(c.LongWindow),
                                AlertAfter = OpenSloDuration.Format(c.ShortWindow) ?? PromDuration.Format(c.ShortWindow),
                            },
                        },
                    },
                ],
            NotificationTargets =
                [
                    new NotificationTargetItem
                    {
                        Kind = OpenSloKinds.AlertNotificationTarget,
                        Metadata = new OpenSloMetadata { Name = AlertmanagerTarget },
                        Spec = new NotificationTargetSpec
                        {
                            Target = AlertmanagerTarget,
                            Description = "The service's alerts go out as Prometheus rules through Alertmanager (GET /api/v1/slos/{name}/prometheus-rules).",
                        },
                    },
                ],
        },
    };

    /// <summary>A name made of others as an RFC 1123 label: at most 63 characters, ending with a letter or digit.</summary>
    private static string Label(string name) => name.Length <= 63 ? name : name[..63].TrimEnd('-');

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
