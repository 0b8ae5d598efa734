using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sre.Domain.Time;

/// <summary>
/// Instants in request bodies and bus messages, read as <see cref="Rfc3339"/> reads them everywhere (an offset is
/// required) and kept in UTC whatever offset they were written with
/// (<c>2026-11-30T18:00:00+08:00</c> is <c>2026-11-30T10:00:00Z</c>): every instant the service keeps and compares is
/// UTC, and PostgreSQL's timestamptz takes only UTC from Npgsql. Written as they are.
/// </summary>
public sealed class UtcInstantJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Rfc3339.TryParse(reader.GetString(), out var instant)
            ? instant
            : throw new JsonException(); // System.Text.Json names the field: "could not be converted ... Path: $.slices[0].start"

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
