using System.Globalization;
using Sre.Domain.Slos;
using Sre.Domain.Time;

namespace Sre.Host.Ui;

/// <summary>How the pages write the service's numbers: the same values the API answers, formatted for people.</summary>
public static class SloText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A ratio as a percentage (0.9995 → 99.95%); a dash for none.</summary>
    public static string Percent(double? ratio, int decimals = 2) =>
        ratio is { } r ? (r * 100).ToString("F" + decimals, Invariant) + "%" : "–";

    /// <summary>A burn rate as a factor of the sustainable rate (workbook ch. 5: 1x spends the budget exactly over the window).</summary>
    public static string Burn(double? rate) => rate is { } r ? r.ToString(r >= 100 ? "F0" : "F2", Invariant) + "x" : "–";

    /// <summary>A window as people read it: <c>28d rolling</c>, <c>calendar month (UTC)</c>, <c>calendar 2 weeks from 2026-11-02 09:00 (America/New_York)</c>.</summary>
    public static string Window(SloWindow window)
    {
        if (window.Kind == WindowKind.Rolling) return $"{PromDuration.Format(window.Duration!.Value)} rolling";
        var unit = window.Unit!.Value.ToString().ToLowerInvariant();
        var length = window.Count is > 1 and var n ? $"{n} {unit}s" : unit;
        var from = window.StartTime is { } start ? $" from {start.ToString("yyyy-MM-dd HH:mm", Invariant)}" : "";
        return $"calendar {length}{from} ({window.TimeZone})";
    }

    /// <summary>A window's length, to sort by: a rolling window's duration, a calendar period's longest length.</summary>
    public static TimeSpan Length(SloWindow window) => SloPeriod.LongestLength(window);

    /// <summary>A span as people read it: 3d 4h, 2h 5m, 40s.</summary>
    public static string Span(TimeSpan? span)
    {
        if (span is not { } s) return "–";
        if (s < TimeSpan.Zero) s = -s;
        return s.TotalDays >= 1 ? $"{(int)s.TotalDays}d {s.Hours}h"
            : s.TotalHours >= 1 ? $"{(int)s.TotalHours}h {s.Minutes}m"
            : s.TotalMinutes >= 1 ? $"{(int)s.TotalMinutes}m {s.Seconds}s"
            : $"{(int)s.TotalSeconds}s";
    }

    public static string Span(double? seconds) => seconds is { } v && double.IsFinite(v) ? Span(TimeSpan.FromSeconds(v)) : "–";

    /// <summary>An instant in UTC as the pages show it (ISO 8601); the browser adds its own zone beside it.</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant);

    /// <summary>A link a page may write into an href: http and https only (a generator URL or postmortem link is data from
    /// outside; a javascript: link would run in the reader's session). Null for anything else.</summary>
    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri.AbsoluteUri : null;

    /// <summary>The class of the budget bar: below a quarter low, spent out.</summary>
    public static string BarClass(double remaining) => remaining <= 0 ? "bar out" : remaining < 0.25 ? "bar low" : "bar";

    /// <summary>The value of the budget's meter (-1 to 1: red below 0, amber below a quarter, green above); its text says the exact share.</summary>
    public static string Meter(double remaining) => Math.Clamp(remaining, -1, 1).ToString("0.###", Invariant);

    /// <summary>The width of the budget bar, 0 to 100.</summary>
    public static string BarWidth(double remaining) => Math.Clamp(remaining * 100, 0, 100).ToString("F1", Invariant);
}
