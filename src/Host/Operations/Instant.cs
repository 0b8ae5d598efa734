using System.Diagnostics.CodeAnalysis;
using Sre.Domain.Time;

namespace Sre.Host.Operations;

/// <summary>
/// An instant in a query string (<c>?at=2026-11-30T10:00:00Z</c>). Wolverine binds it through <see cref="TryParse"/>,
/// which reads it as <see cref="Rfc3339"/> reads every instant of the service: an offset is required, so a time
/// without one, or a '+' sent unencoded (it arrives as a space), is a 400 naming the parameter, not a guess; the
/// value is kept in UTC. Wolverine's own DateTimeOffset parse would read a time without an offset as local time.
/// </summary>
public readonly record struct Instant(DateTimeOffset Value) : IParsable<Instant>
{
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Instant result)
    {
        var parsed = Rfc3339.TryParse(s, out var value);
        result = new Instant(value);
        return parsed;
    }

    public static Instant Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException(Rfc3339.Invalid(s));

    public override string ToString() => Value.ToString("O");
}
