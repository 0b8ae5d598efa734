using System.Globalization;
using System.Text.RegularExpressions;

namespace Sre.Domain.Time;

/// <summary>
/// RFC 3339 timestamps (<c>2026-11-30T10:00:00Z</c>, <c>2026-11-30T10:00:00.123456789+08:00</c>): a date, a time, an
/// optional fraction of any length (Alertmanager writes nanoseconds; .NET keeps 100 ns ticks, the rest is cut) and a
/// required offset. Parsed instants are UTC: an offset says where the writer was, not which instant it meant, and
/// PostgreSQL's timestamptz takes only UTC from Npgsql.
/// </summary>
public static partial class Rfc3339
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\.(\d{7})\d+")]
    private static partial Regex ExtraFraction();

    /// <summary>The instant in UTC, or false for anything that is not an RFC 3339 date-time with an offset.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text) || !Pattern().IsMatch(text)) return false;
        if (!DateTimeOffset.TryParse(ExtraFraction().Replace(text, ".$1"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return false;
        instant = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>The error message for a text that is not a timestamp, naming what was sent.</summary>
    public static string Invalid(string text) =>
        text.Contains(' ') && !text.Contains('+')
            ? $"\"{text}\" is not an RFC 3339 timestamp (a '+' in a query string must be sent as %2B)."
            : $"\"{text}\" is not an RFC 3339 timestamp.";
}
