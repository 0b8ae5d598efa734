using System.Text;
using System.Text.Json;

namespace Sre.Domain.Time;

/// <summary>
/// RFC 3339 timestamps (<c>2026-11-30T10:00:00Z</c>, <c>2026-11-30T10:00:00.123456789+08:00</c>): a date, a time with
/// seconds, an optional fraction (Alertmanager writes nanoseconds; .NET keeps 100 ns ticks, the rest is cut) and a
/// required offset. System.Text.Json's ISO 8601 reader parses them, nanoseconds and all; what it would let through and
/// RFC 3339 does not (no seconds, no offset: an instant read in the server's zone) is refused first. Parsed instants
/// are UTC: an offset says where the writer was, not which instant it meant, and PostgreSQL's timestamptz takes only
/// UTC from Npgsql.
/// </summary>
public static class Rfc3339
{
    /// <summary>The longest timestamp read: a fraction of up to 16 digits (System.Text.Json's limit) and an offset.</summary>
    public const int MaxLength = 42;

    /// <summary>The instant in UTC, or false for anything that is not an RFC 3339 date-time with an offset.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !Ascii.IsValid(text)) return false;
        Span<byte> utf8 = stackalloc byte[text.Length];
        Ascii.FromUtf16(text, utf8, out _);
        return TryParse(utf8, out instant);
    }

    /// <summary>The same, from UTF-8 (a JSON string's value as it was read).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset instant)
    {
        instant = default;
        if (!HasSecondsAndOffset(text)) return false;
        // A JSON string for System.Text.Json's reader; with printable ASCII and no quote or backslash, always a valid one.
        Span<byte> json = stackalloc byte[text.Length + 2];
        json[0] = json[^1] = (byte)'"';
        text.CopyTo(json[1..]);
        // RFC 3339 lets the T and the Z be lower case, and the T be a space; ISO 8601 does not.
        if (json[11] is (byte)'t' or (byte)' ') json[11] = (byte)'T';
        if (json[^2] == (byte)'z') json[^2] = (byte)'Z';
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || !reader.TryGetDateTimeOffset(out var parsed)) return false;
        instant = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>The error message for a text that is not a timestamp, naming what was sent.</summary>
    public static string Invalid(string text) =>
        text.Contains(' ') && !text.Contains('+')
            ? $"\"{text}\" is not an RFC 3339 timestamp (a '+' in a query string must be sent as %2B)."
            : $"\"{text}\" is not an RFC 3339 timestamp.";

    // What ISO 8601 lets a writer leave out and RFC 3339 does not: the seconds (2026-11-30T10:00:00), a digit after the
    // point, and the offset (Z or +08:00, never +08 or +0800).
    private static bool HasSecondsAndOffset(ReadOnlySpan<byte> t) =>
        t.Length is >= 20 and <= MaxLength
        && !t.ContainsAnyExceptInRange((byte)' ', (byte)'~') && !t.ContainsAny((byte)'"', (byte)'\\')
        && t[16] == ':' && (t[19] != '.' || (t.Length > 20 && char.IsAsciiDigit((char)t[20])))
        && (t[^1] is (byte)'Z' or (byte)'z' || (t[^6] is (byte)'+' or (byte)'-' && t[^3] == ':'));
}
