using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sre.Domain;

/// <summary>
/// The one way an enum is read from text and written back, wherever the text comes from: JSON bodies (through
/// <see cref="JsonConverter"/>, the converter the service registers), query strings, YAML documents and fields that
/// travel as strings. A member is named in camelCase (<c>partiallyFailed</c>) or in any other letter case
/// (<c>PartiallyFailed</c>); numbers are refused, so that only a declared member is ever stored.
/// </summary>
public static class EnumText
{
    /// <summary>The enum converter of the service's JSON options; <see cref="Parse{TEnum}"/> reads through it.</summary>
    public static JsonStringEnumConverter JsonConverter { get; } = new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

    private static readonly JsonSerializerOptions Options = new() { Converters = { JsonConverter } };

    /// <summary>
    /// The member <paramref name="text"/> names, as the JSON converter reads it, or null when it names none: null,
    /// empty, a number, an unknown name, or a combination of names that is not a declared member.
    /// </summary>
    public static TEnum? Parse<TEnum>(string? text) where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            var value = JsonSerializer.Deserialize<TEnum>(JsonSerializer.Serialize(text, Options), Options);
            return Enum.IsDefined(value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The name the JSON converter writes for <paramref name="value"/>: <c>partiallyFailed</c>.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
