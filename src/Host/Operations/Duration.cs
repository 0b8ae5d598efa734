using System.Diagnostics.CodeAnalysis;
using Sre.Domain.Time;

namespace Sre.Host.Operations;

/// <summary>
/// A duration in a query string as Prometheus writes it (<c>?window=30d</c>, <c>?step=1h30m</c>). Wolverine binds it
/// through <see cref="TryParse"/>, which reads it with <see cref="PromDuration"/> as the request bodies are read;
/// TimeSpan's own parse refuses "30d" and reads "30" as thirty days.
/// </summary>
public readonly record struct Duration(TimeSpan Value) : IParsable<Duration>
{
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Duration result)
    {
        var parsed = PromDuration.TryParse(s, out var value);
        result = new Duration(value);
        return parsed;
    }

    public static Duration Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException(Invalid(s));

    /// <summary>What is wrong with a text that does not parse, naming what was sent.</summary>
    public static string Invalid(string text) => $"\"{text}\" is not a duration such as 30d, 12h or 1w.";

    public override string ToString() => PromDuration.Format(Value);
}
