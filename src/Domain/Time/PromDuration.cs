using System.Text.RegularExpressions;

namespace Sre.Domain.Time;

/// <summary>Durations as Prometheus writes them: 30d, 1h30m, 90s, 500ms, 4w, 1y (365 days).</summary>
public static partial class PromDuration
{
    [GeneratedRegex(@"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$")]
    private static partial Regex Pattern();

    private static readonly TimeSpan[] Units =
    [
        TimeSpan.FromDays(365), TimeSpan.FromDays(7), TimeSpan.FromDays(1), TimeSpan.FromHours(1),
        TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        var match = Pattern().Match(text);
        if (!match.Success) return false;
        for (var i = 0; i < Units.Length; i++)
        {
            var group = match.Groups[i + 1];
            if (!group.Success) continue;
            if (!long.TryParse(group.Value, out var count) || count > 100_000) return false;
            duration += Units[i] * count;
        }
        return duration > TimeSpan.Zero;
    }

    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return "0s";
        // Days rather than weeks or years: "30d" reads better than Prometheus' own "4w2d".
        var parts = new List<string>();
        var rest = duration;
        string[] suffixes = ["y", "w", "d", "h", "m", "s", "ms"];
        for (var i = 2; i < Units.Length; i++)
        {
            var count = (long)(rest.Ticks / Units[i].Ticks);
            if (count == 0) continue;
            parts.Add($"{count}{suffixes[i]}");
            rest -= Units[i] * count;
        }
        return string.Concat(parts);
    }
}
