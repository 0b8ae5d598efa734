using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using Sre.Host.Operations;
using Wolverine.Http;
using YamlDotNet.Serialization;

namespace Sre.Host.Slos;

/// <summary>
/// Prometheus rules for an SLO whose SLI is PromQL (good and total queries with Sloth's <c>{{.window}}</c> for the
/// range): a recording rule of the error ratio for every window its burn-rate conditions use (for the timeslice methods,
/// the share of the window's slices spent, counted in all its slices), and one multi-window,
/// multi-burn-rate alert per severity, labelled <c>slo</c>, <c>service</c>, <c>severity</c> (and <c>objective</c> for an
/// objective of an OpenSLO SLO with several) so that the alert comes back through Alertmanager onto this SLO and its
/// incident; with OpenSLO's <c>alertWhenNoData</c>, an alert when the SLI has no data.
/// </summary>
public static class PrometheusRules
{
    public const string WindowPlaceholder = "{{.window}}";
    public const string AlertName = "SloErrorBudgetBurn";
    public const string NoDataAlertName = "SloNoData";

    public static string Record(TimeSpan window) => $"slo:sli_error:ratio_rate{PromDuration.Format(window)}";

    /// <summary>Why the SLO has no rules, or null when it can have them.</summary>
    public static string? Unsupported(SloDefinition d) =>
        d.Sli.IsRaw
            ? $"The SLI of '{d.Name}' is a raw ratio: its error ratio over a window is the mean of judged slices, which recording rules over windows cannot give; the service pulls and counts it."
        : d.Sli.IsThreshold
            ? $"The SLI of '{d.Name}' is a threshold SLI: its error ratio is a share of judged slices, which recording rules over windows cannot give (nor do Sloth's); the service pulls and judges it."
        : (d.Sli.GoodQuery ?? d.Sli.BadQuery) is not { } counted || d.Sli.TotalQuery is null
            ? $"The SLI of '{d.Name}' is not a Prometheus query (goodQuery or badQuery, and totalQuery)."
        : !counted.Contains(WindowPlaceholder) || !d.Sli.TotalQuery.Contains(WindowPlaceholder)
            ? $"The queries of '{d.Name}' need {WindowPlaceholder} where the range goes, e.g. rate(http_requests_total[{WindowPlaceholder}])."
        : null;

    /// <summary>
    /// The SLI's error ratio over a window, as the pull counts it: bad ÷ total, or 1 − good ÷ total. With
    /// <paramref name="onlyWithTraffic"/>, a window without traffic gives no value (not a division by zero).
    /// </summary>
    private static string ErrorRatio(SloDefinition d, TimeSpan w, bool onlyWithTraffic = false)
    {
        var total = onlyWithTraffic ? $"(({Ranged(d.Sli.TotalQuery!, w)}) > 0)" : $"({Ranged(d.Sli.TotalQuery!, w)})";
        return d.Sli.BadQuery is { } bad ? $"({Ranged(bad, w)}) / {total}" : $"1 - (({Ranged(d.Sli.GoodQuery!, w)}) / {total})";
    }

    /// <summary>The rule groups of one SLO, as Prometheus' rule file has them.</summary>
    public static IReadOnlyList<Dictionary<string, object>> Groups(SloDefinition d, DateTimeOffset now)
    {
        var period = SloPeriod.At(d.Window, now).Length;
        var conditions = d.Alerting.Conditions ?? BurnRateMath.DefaultConditions(period);
        var labels = new Dictionary<string, string> { ["slo"] = d.Name, ["service"] = d.Service };
        if (d.Objective is { } objective) labels["objective"] = objective.Name;
        var selector = $"{{slo=\"{d.Name}\"}}";
        var budget = 1 - d.Target;

        var windows = conditions.SelectMany(c => new[] { c.ShortWindow, c.LongWindow }).Distinct().Order().ToList();
        // No conditions (an OpenSLO policy that does not alert on breaching) still records the 5m error ratio, for alertWhenNoData and dashboards.
        if (windows.Count == 0) windows.Add(TimeSpan.FromMinutes(5));
        var sli = d.Budgeting.Method == BudgetingMethod.Occurrences
            ? new Dictionary<string, object> { ["name"] = $"sre-slo-{d.Name}-sli", ["rules"] = Occurrences(d, windows, labels) }
            : Timeslices(d, windows, labels, selector);

        var alerts = conditions.GroupBy(c => c.Severity).Select(g => new Dictionary<string, object>
        {
            ["alert"] = AlertName,
            ["expr"] = string.Join("\nor\n", g.Select(c =>
                $"({Record(c.LongWindow)}{selector} {Symbol(c.Op)} ({Number(c.Factor)} * {Number(budget)}) and {Record(c.ShortWindow)}{selector} {Symbol(c.Op)} ({Number(c.Factor)} * {Number(budget)}))")),
            ["labels"] = new Dictionary<string, string>(labels) { ["severity"] = g.Key },
            ["annotations"] = new Dictionary<string, string>
            {
                ["summary"] = $"{d.Name} is burning its error budget too fast ({g.Key})",
                ["description"] = $"The error ratio of {d.Name} over both windows of a burn-rate condition is above its factor times the budget ({Number(budget)}).",
            },
        }).ToList<object>();
        if (d.Alerting.NoData)
            // OpenSLO alertWhenNoData: the shortest window's error ratio is absent (no traffic, or the SLI's series are gone) for that long.
            alerts.Add(new Dictionary<string, object>
            {
                ["alert"] = NoDataAlertName,
                ["expr"] = $"absent({Record(windows[0])}{selector})",
                ["for"] = PromDuration.Format(windows[0]),
                ["labels"] = new Dictionary<string, string>(labels) { ["severity"] = "ticket" },
                ["annotations"] = new Dictionary<string, string>
                {
                    ["summary"] = $"{d.Name} has no SLI data",
                    ["description"] = $"The error ratio of {d.Name} over {PromDuration.Format(windows[0])} has had no value for {PromDuration.Format(windows[0])}: its queries return nothing.",
                },
            });

        return
        [
            sli,
            new() { ["name"] = $"sre-slo-{d.Name}-alerts", ["rules"] = alerts },
        ];
    }

    /// <summary>Occurrences: the error ratio of the events of each window, 1 − good ÷ total (or bad ÷ total).</summary>
    private static List<object> Occurrences(SloDefinition d, IEnumerable<TimeSpan> windows, Dictionary<string, string> labels) =>
        windows.Select(w => new Dictionary<string, object>
        {
            ["record"] = Record(w),
            ["expr"] = ErrorRatio(d, w),
            ["labels"] = labels,
        }).ToList<object>();

    /// <summary>
    /// The timeslice methods, counted as the service counts them (<see cref="ErrorBudget"/>): the group is evaluated once a
    /// slice (its <c>interval</c>), first recording what a slice spends (Timeslices: 1 when its error ratio is above
    /// 1 − sliceTarget, else 0; RatioTimeslices: its error ratio), then for each window the sum of what its slices spent
    /// over the number of slices the window has. A slice without traffic records nothing, so it spends nothing and the
    /// window's budget stays that of all its slices.
    /// </summary>
    private static Dictionary<string, object> Timeslices(SloDefinition d, IEnumerable<TimeSpan> windows, Dictionary<string, string> labels, string selector)
    {
        var slice = d.Budgeting.SliceLength!.Value;
        var ratio = ErrorRatio(d, slice, onlyWithTraffic: true);
        var spent = $"slo:sli_spent:slice{PromDuration.Format(slice)}";
        var rules = new List<object>
        {
            new Dictionary<string, object>
            {
                ["record"] = spent,
                ["expr"] = d.Budgeting.Method == BudgetingMethod.Timeslices ? $"({ratio}) > bool {Number(1 - d.Budgeting.SliceTarget!.Value)}" : ratio,
                ["labels"] = labels,
            },
        };
        rules.AddRange(windows.Select(w => new Dictionary<string, object>
        {
            ["record"] = Record(w),
            ["expr"] = $"sum_over_time({spent}{selector}[{PromDuration.Format(w)}]) / {Number(w / slice)}",
            ["labels"] = labels,
        }));
        return new() { ["name"] = $"sre-slo-{d.Name}-sli", ["interval"] = PromDuration.Format(slice), ["rules"] = rules };
    }

    public static string Yaml(IEnumerable<Dictionary<string, object>> groups) =>
        new SerializerBuilder().Build().Serialize(new Dictionary<string, object> { ["groups"] = groups.ToList() });

    /// <summary>
    /// The same groups as a Prometheus Operator resource (monitoring.coreos.com/v1 PrometheusRule) named
    /// <paramref name="name"/>; labels written out at each rule, without YAML aliases, as Kubernetes manifests are.
    /// </summary>
    public static string PrometheusRuleYaml(IEnumerable<Dictionary<string, object>> groups, string name) =>
        new SerializerBuilder().DisableAliases().Build().Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "monitoring.coreos.com/v1",
            ["kind"] = "PrometheusRule",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["labels"] = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "sre" } },
            ["spec"] = new Dictionary<string, object> { ["groups"] = groups.ToList() },
        });

    private static string Ranged(string query, TimeSpan window) => query.Replace(WindowPlaceholder, PromDuration.Format(window));

    /// <summary>A condition's comparison in PromQL: above the factor by default.</summary>
    private static string Symbol(ThresholdOp? op) => op switch { ThresholdOp.Gte => ">=", ThresholdOp.Lt => "<", ThresholdOp.Lte => "<=", _ => ">" };

    private static string Number(double value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}

public static class GetPrometheusRulesEndpoint
{
    /// <summary>The SLO's recording and alerting rules as a Prometheus rule file (YAML).</summary>
    [WolverineGet("/api/v1/slos/{name}/prometheus-rules")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        if (await session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted) is not { IsRetired: false } slo)
            return Problems.NotFound($"No SLO named '{name}'.");
        if (PrometheusRules.Unsupported(slo.Definition) is { } reason) return Problems.Conflict(reason);
        return Results.Text(PrometheusRules.Yaml(PrometheusRules.Groups(slo.Definition, clock.GetUtcNow())), "application/yaml");
    }
}
