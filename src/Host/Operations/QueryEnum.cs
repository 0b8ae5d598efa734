using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Sre.Domain;

namespace Sre.Host.Operations;

/// <summary>
/// An enum value in a query string (<c>?status=acknowledged</c>), read by the names the JSON API writes: the camelCase
/// names of <see cref="JsonStringEnumConverter"/>, read by <see cref="EnumText.Parse{TEnum}"/> (the one enum parser: any
/// letter case, never a number). Wolverine binds it through <see cref="TryParse"/>; its own enum parse would also take "1", "-1" and
/// "triggered, resolved".
/// </summary>
public readonly record struct QueryEnum<T>(T Value) : IParsable<QueryEnum<T>> where T : struct, Enum
{
    /// <summary>The names the API writes, in the enum's order: what the OpenAPI document lists.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<T>().Select(EnumText.Name)];

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out QueryEnum<T> result)
    {
        var parsed = EnumText.Parse<T>(s);
        result = new QueryEnum<T>(parsed ?? default);
        return parsed is not null;
    }

    public static QueryEnum<T> Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException(Invalid(s));

    /// <summary>What is wrong with a text that does not parse, naming what was sent and what is taken.</summary>
    public static string Invalid(string text) => $"\"{text}\" is not one of {string.Join(", ", Names)}.";

    public override string ToString() => EnumText.Name(Value);
}
