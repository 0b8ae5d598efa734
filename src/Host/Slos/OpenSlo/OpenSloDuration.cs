using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sre.Domain.Slos;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// OpenSLO's duration shorthand: a positive whole number and one unit, case-sensitive: <c>m</c> minutes, <c>h</c> hours,
/// <c>d</c> days, <c>w</c> weeks, <c>M</c> months, <c>Q</c> quarters, <c>Y</c> years (so <c>1m</c> is one minute). As a
/// length (a rolling window, a lookback) a month is 30 days, a quarter 90 and a year 365, as OpenSLO's go-sdk counts them;
/// a calendar window counts them on the calendar (<see cref="SloPeriod"/>).
/// </summary>
public static partial class OpenSloDuration
{
    [GeneratedRegex("^([0-9]+)([mhdwMQY])$")]
    private static partial Regex Shorthand();

    /// <summary>The count and unit of <paramref name="text"/>, or null when it is not a shorthand of a positive count.</summary>
    public static (int Count, CalendarUnit Unit)? Parse(string? text)
    {
        if (text is null || Shorthand().Match(text) is not { Success: true } match) return null;
        if (!int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 100_000) return null;
        var unit = match.Groups[2].Value switch
        {
            "m" => CalendarUnit.Minute,
            "h" => CalendarUnit.Hour,
            "d" => CalendarUnit.Day,
            "w" => CalendarUnit.Week,
            "M" => CalendarUnit.Month,
            "Q" => CalendarUnit.Quarter,
            _ => CalendarUnit.Year,
        };
        // A hundred years at most: far past any SLO's window, and inside what a TimeSpan holds.
        return count * SloPeriod.NominalDays(unit) <= 36_500 ? (count, unit) : null;
    }

    /// <summary>The length of a shorthand, or null.</summary>
    public static TimeSpan? Length(string? text) => Parse(text) is { } d ? Length(d.Count, d.Unit) : null;

    /// <summary>
    /// A burn-rate window: a shorthand, or else a Prometheus duration (<c>40s</c>, <c>1h30m</c>), which the service writes for
    /// a window that is not whole minutes; null when neither.
    /// </summary>
    public static TimeSpan? Window(string? text) =>
        Length(text) ?? (Domain.Time.PromDuration.TryParse(text, out var d) && d <= TimeSpan.FromDays(36_500) ? d : null);

    public static TimeSpan Length(int count, CalendarUnit unit) => count * unit switch
    {
        CalendarUnit.Minute => TimeSpan.FromMinutes(1),
        CalendarUnit.Hour => TimeSpan.FromHours(1),
        CalendarUnit.Day => TimeSpan.FromDays(1),
        CalendarUnit.Week => TimeSpan.FromDays(7),
        CalendarUnit.Month => TimeSpan.FromDays(30),
        CalendarUnit.Quarter => TimeSpan.FromDays(90),
        _ => TimeSpan.FromDays(365),
    };

    /// <summary>A length as a shorthand that gives it exactly, in days, hours or minutes (<c>28d</c>, <c>1h</c>, <c>90m</c>); null when none does.</summary>
    public static string? Format(TimeSpan length)
    {
        foreach (var (unit, suffix) in new[] { (TimeSpan.FromDays(1), "d"), (TimeSpan.FromHours(1), "h"), (TimeSpan.FromMinutes(1), "m") })
            if (length > TimeSpan.Zero && length.Ticks % unit.Ticks == 0) return $"{length.Ticks / unit.Ticks}{suffix}";
        return null;
    }

    /// <summary>
    /// A time slice's length (OpenSLO <c>timeSliceWindow</c>): a shorthand, or a number of minutes (0.5 is 30 seconds);
    /// null when neither.
    /// </summary>
    public static TimeSpan? SliceLength(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Length(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes is > 0 and <= 1_000_000
            => TimeSpan.FromMinutes(minutes),
        _ => null,
    };

    /// <summary>A calendar unit as its shorthand letter.</summary>
    public static string Letter(CalendarUnit unit) => unit switch
    {
        CalendarUnit.Minute => "m",
        CalendarUnit.Hour => "h",
        CalendarUnit.Day => "d",
        CalendarUnit.Week => "w",
        CalendarUnit.Month => "M",
        CalendarUnit.Quarter => "Q",
        _ => "Y",
    };
}
