using System.Globalization;
using Sre.Domain;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Domain.Time;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>Writes an SLO as one OpenSLO v1 SLO document with its indicator and alert policy inline, and a data source as a DataSource document.</summary>
public static class OpenSloWriter
{
    public static string Write(SloDefinition d) => OpenSloYaml.Write(Document(d));

    /// <summary>A data source as the document <see cref="OpenSloReader"/> reads back to it: secrets as references to configuration, never their values.</summary>
    public static string Write(DataSourceDefinition d) => OpenSloYaml.Write(new DataSourceDocument
    {
        ApiVersion = OpenSloDocument.V1,
        Kind = "DataSource",
        Metadata = new OpenSloMetadata { Name = d.Name },
        Spec = new DataSourceSpec
        {
            Description = d.Description,
            Type = DataSourceRules.Prometheus,
            ConnectionDetails = new ConnectionDetails
            {
                Url = d.Url,
                Headers = d.Headers.Count == 0 ? null : d.Headers.ToDictionary(h => h.Key, h => (string?)h.Value),
                QueryTimeout = d.QueryTimeout is { } timeout ? PromDuration.Format(timeout) : null,
                BearerToken = d.Auth == DataSourceAuth.Bearer ? DataSourceRules.Reference(d.Name, "BearerToken") : null,
                Username = d.Auth == DataSourceAuth.Basic ? d.Username : null,
                Password = d.Auth == DataSourceAuth.Basic ? DataSourceRules.Reference(d.Name, "Password") : null,
            },
        },
    });

    /// <summary>The SLO as the document <see cref="OpenSloReader"/> reads back to the same definition.</summary>
    public static SloDocument Document(SloDefinition d) => new()
    {
        ApiVersion = OpenSloDocument.V1,
        Kind = "SLO",
        Metadata = new OpenSloMetadata
        {
            Name = d.Name,
            Labels = d.Labels.ToDictionary(l => l.Key, l => (object?)l.Value),
            Annotations = Annotations(d),
        },
        Spec = new SloSpec
        {
            Description = d.Description,
            Service = d.Service,
            Indicator = new InlineIndicator
            {
                Metadata = new OpenSloMetadata { Name = $"{d.Name}-sli" },
                Spec = d.Sli.IsThreshold
                    ? new IndicatorSpec { ThresholdMetric = Metric(d.Sli, d.Sli.ThresholdQuery) }
                    : new IndicatorSpec { RatioMetric = RatioMetric(d.Sli) },
            },
            TimeWindow = [Window(d.Window)],
            BudgetingMethod = d.Budgeting.Method.ToString(),
            Objectives =
            [
                new Objective
                {
                    DisplayName = d.Name,
                    Target = d.Target,
                    TimeSliceWindow = d.Budgeting.SliceLength is { } slice ? PromDuration.Format(slice) : null,
                    TimeSliceTarget = d.Budgeting.SliceTarget,
                    Op = d.Sli.IsThreshold ? EnumText.Name(d.Sli.Op!.Value) : null,
                    Value = d.Sli.IsThreshold ? d.Sli.Value : null,
                },
            ],
            AlertPolicies = d.Alerting.Conditions is { Count: > 0 } conditions
                ?
                [
                    new AlertPolicyItem
                    {
                        Kind = "AlertPolicy",
                        Metadata = new OpenSloMetadata { Name = $"{d.Name}-burn-rate" },
                        Spec = new AlertPolicySpec
                        {
                            AlertWhenBreaching = true,
                            Conditions = conditions.Select((c, i) => Condition(d.Name, c, i)).ToList<AlertConditionItem?>(),
                        },
                    },
                ]
                : null,
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

    /// <summary>One query as an OpenSLO Prometheus metric source, naming the SLI's data source (<c>metricSourceRef</c>).</summary>
    private static MetricQuery? Metric(SliSpec sli, string? query) => query is null ? null : new()
    {
        MetricSource = new MetricSource
        {
            MetricSourceRef = sli.DataSource, Type = "Prometheus", Spec = new Dictionary<string, object?> { ["query"] = query },
        },
    };

    private static RatioMetric RatioMetric(SliSpec sli) =>
        new() { Counter = true, Good = Metric(sli, sli.GoodQuery), Bad = Metric(sli, sli.BadQuery), Total = Metric(sli, sli.TotalQuery) };

    private static TimeWindow Window(SloWindow w) => w.Kind == WindowKind.Rolling
        ? new TimeWindow { Duration = PromDuration.Format(w.Duration!.Value), IsRolling = true }
        : new TimeWindow
        {
            Duration = w.Unit switch { CalendarUnit.Week => "1w", CalendarUnit.Month => "1M", _ => "1Q" },
            IsRolling = false,
            Calendar = new Calendar { StartTime = "2020-01-01 00:00:00", TimeZone = w.TimeZone ?? "UTC" },
        };

    private static AlertConditionItem Condition(string slo, BurnCondition c, int i) => new()
    {
        Kind = "AlertCondition",
        Metadata = new OpenSloMetadata { Name = $"{slo}-{c.Severity}-{i}" },
        Spec = new AlertConditionSpec
        {
            Severity = c.Severity,
            Condition = new AlertConditionRule
            {
                Kind = "burnrate",
                Op = "gt",
                Threshold = c.Factor,
                LookbackWindow = PromDuration.Format(c.LongWindow),
                AlertAfter = PromDuration.Format(c.ShortWindow),
            },
        },
    };

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
