using System.Globalization;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using YamlDotNet.Serialization;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>Writes an SLO as one OpenSLO v1 SLO document with its indicator and alert policy inline.</summary>
public static class OpenSloWriter
{
    public static string Write(SloDefinition d)
    {
        var annotations = new Dictionary<string, string> { [OpenSloReader.Prefix + "sli-kind"] = d.Sli.Kind.ToString().ToLowerInvariant() };
        if (d.Sli.Threshold is { } threshold) annotations[OpenSloReader.Prefix + "threshold"] = PromDuration.Format(threshold);
        if (d.Sli.Rate is { } rate)
        {
            annotations[OpenSloReader.Prefix + "rate-min-per-minute"] = Invariant(rate.MinPerMinute);
            if (rate.MaxDrop is { } drop) annotations[OpenSloReader.Prefix + "rate-max-drop"] = Invariant(drop);
            if (rate.DropWindow is { } back) annotations[OpenSloReader.Prefix + "rate-drop-window"] = PromDuration.Format(back);
        }
        if (d.Alerting.MinEvents > 0) annotations[OpenSloReader.Prefix + "min-events"] = d.Alerting.MinEvents.ToString(CultureInfo.InvariantCulture);

        var objective = new Dictionary<string, object> { ["displayName"] = d.Name, ["target"] = d.Target };
        if (d.Budgeting.SliceLength is { } slice) objective["timeSliceWindow"] = PromDuration.Format(slice);
        if (d.Budgeting.SliceTarget is { } sliceTarget) objective["timeSliceTarget"] = sliceTarget;

        var spec = new Dictionary<string, object>
        {
            ["service"] = d.Service,
            ["indicator"] = new Dictionary<string, object>
            {
                ["metadata"] = new Dictionary<string, object> { ["name"] = $"{d.Name}-sli" },
                ["spec"] = new Dictionary<string, object> { ["ratioMetric"] = RatioMetric(d.Sli) },
            },
            ["timeWindow"] = new[] { Window(d.Window) },
            ["budgetingMethod"] = d.Budgeting.Method.ToString(),
            ["objectives"] = new[] { objective },
        };
        if (d.Description is not null) spec["description"] = d.Description;
        if (d.Alerting.Conditions is { Count: > 0 } conditions)
        {
            spec["alertPolicies"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["kind"] = "AlertPolicy",
                    ["metadata"] = new Dictionary<string, object> { ["name"] = $"{d.Name}-burn-rate" },
                    ["spec"] = new Dictionary<string, object>
                    {
                        ["alertWhenBreaching"] = true,
                        ["conditions"] = conditions.Select((c, i) => Condition(d.Name, c, i)).ToArray(),
                    },
                },
            };
        }

        var document = new Dictionary<string, object>
        {
            ["apiVersion"] = "openslo/v1",
            ["kind"] = "SLO",
            ["metadata"] = new Dictionary<string, object> { ["name"] = d.Name, ["labels"] = d.Labels, ["annotations"] = annotations },
            ["spec"] = spec,
        };
        return new SerializerBuilder().Build().Serialize(document);
    }

    private static Dictionary<string, object> RatioMetric(SliSpec sli)
    {
        Dictionary<string, object> Side(string? query) => new()
        {
            ["metricSource"] = new Dictionary<string, object> { ["type"] = "Prometheus", ["spec"] = new Dictionary<string, object> { ["query"] = query! } },
        };
        var ratio = new Dictionary<string, object> { ["counter"] = true };
        if (sli.GoodQuery is not null) ratio["good"] = Side(sli.GoodQuery);
        if (sli.TotalQuery is not null) ratio["total"] = Side(sli.TotalQuery);
        return ratio;
    }

    private static Dictionary<string, object> Window(SloWindow w) => w.Kind == WindowKind.Rolling
        ? new() { ["duration"] = PromDuration.Format(w.Duration!.Value), ["isRolling"] = true }
        : new()
        {
            ["duration"] = w.Unit switch { CalendarUnit.Week => "1w", CalendarUnit.Month => "1M", _ => "1Q" },
            ["isRolling"] = false,
            ["calendar"] = new Dictionary<string, object> { ["startTime"] = "2020-01-01 00:00:00", ["timeZone"] = w.TimeZone ?? "UTC" },
        };

    private static Dictionary<string, object> Condition(string slo, BurnCondition c, int i) => new()
    {
        ["kind"] = "AlertCondition",
        ["metadata"] = new Dictionary<string, object> { ["name"] = $"{slo}-{c.Severity}-{i}" },
        ["spec"] = new Dictionary<string, object>
        {
            ["severity"] = c.Severity,
            ["condition"] = new Dictionary<string, object>
            {
                ["kind"] = "burnrate",
                ["op"] = "gt",
                ["threshold"] = c.Factor,
                ["lookbackWindow"] = PromDuration.Format(c.LongWindow),
                ["alertAfter"] = PromDuration.Format(c.ShortWindow),
            },
        },
    };

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
