using System.Globalization;
using System.Text.RegularExpressions;

namespace Sre.Domain.Backups;

/// <summary>Durations as Go's time.ParseDuration reads them (what robfig/cron's <c>@every</c> takes): 90m, 1h30m, 1.5h, 300ms.</summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"^[+-]?(?:0|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    public static TimeSpan? Parse(string text)
    {
        if (!Whole().IsMatch(text)) return null;
        var seconds = 0m;
        foreach (Match m in Part().Matches(text))
        {
            var unit = m.Groups[2].Value switch
            {
                "h" => 3600m, "m" => 60m, "s" => 1m, "ms" => 0.001m, "ns" => 0.000000001m, _ => 0.000001m,
            };
            var number = m.Groups[1].Value.TrimEnd('.');
            // More than a TimeSpan holds is no duration: a number too long for a decimal, or a sum past the limit.
            if (!decimal.TryParse(number.Length == 0 ? "0" : number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || value > 9_223_372_036m) return null;
            seconds += value * unit;
            if (seconds > 9_223_372_036m) return null;
        }
        if (seconds > 9_223_372_036m) return null;
        return TimeSpan.FromSeconds((double)(text.StartsWith('-') ? -seconds : seconds));
    }
}
