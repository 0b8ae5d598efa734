using System.Text.Json;
using Sre.Domain.Slos;
using Sre.Domain.Time;

namespace Sre.Host.Ui.Slos;

/// <summary>A series of a chart: its label, one value a point (null: no data), drawn dashed (a reference line) or not.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<double?> Values, bool Dash = false, string? Color = null, bool Percent = false);

/// <summary>A vertical line on a chart: a deployment or an incident, at a unix time in seconds.</summary>
public sealed record ChartMarker(long At, string Kind, string Label);

/// <summary>
/// What site.js hands to uPlot: the x values (unix seconds), the series, the markers, whether the y axis is a
/// percentage, and the span of the x axis (unix seconds; the chosen range even where the SLO has no points yet). Serialized with the default encoder, which escapes &lt; &gt; &amp; so that it is safe inside a script element.
/// </summary>
public sealed record ChartData(
    IReadOnlyList<long> X, IReadOnlyList<ChartSeries> Series, IReadOnlyList<ChartMarker> Markers, bool Percent, long From, long To)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The budget left over the period beside the ideal burn-down (<see cref="BudgetBurnDown"/>).</summary>
    public static ChartData BurnDown(IReadOnlyList<BurnDownPoint> points, IReadOnlyList<ChartMarker> markers) => new(
        points.Select(p => p.At.ToUnixTimeSeconds()).ToList(),
        [
            new ChartSeries("Budget remaining", points.Select(p => (double?)p.Remaining).ToList(), Percent: true),
            new ChartSeries("Ideal burn-down", points.Select(p => (double?)p.Ideal).ToList(), Dash: true, Color: "--muted", Percent: true),
        ],
        markers, Percent: true, points[0].At.ToUnixTimeSeconds(), points[^1].At.ToUnixTimeSeconds());

    /// <summary>
    /// The burn rate of each window the conditions use at each instant, and each condition's factor as a dashed line
    /// (a condition fires when both its windows burn faster than its factor: workbook ch. 5, multiwindow, multi-burn-rate).
    /// </summary>
    public static ChartData BurnRates(IReadOnlyList<SloStatus> history, IReadOnlyList<ChartMarker> markers, DateTimeOffset from, DateTimeOffset to)
    {
        var conditions = history.Count == 0 ? [] : history[^1].Conditions;
        var windows = conditions.SelectMany(c => new[] { c.LongWindow, c.ShortWindow }).Distinct().Order().ToList();
        var series = windows.Select(w => new ChartSeries($"burn rate {PromDuration.Format(w)}",
                history.Select(s => BurnOver(s, w)).ToList()))
            .Concat(conditions.Select(c => c.Factor).Distinct().Select(f => new ChartSeries($"factor {f.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}x",
                history.Select(_ => (double?)f).ToList(), Dash: true, Color: "--bad")))
            .ToList();
        return new ChartData(history.Select(s => s.At.ToUnixTimeSeconds()).ToList(), series, markers, Percent: false,
            from.ToUnixTimeSeconds(), to.ToUnixTimeSeconds());
    }

    private static double? BurnOver(SloStatus status, TimeSpan window) =>
        status.Conditions.FirstOrDefault(c => c.LongWindow == window)?.LongBurnRate
        ?? status.Conditions.FirstOrDefault(c => c.ShortWindow == window)?.ShortBurnRate;
}
