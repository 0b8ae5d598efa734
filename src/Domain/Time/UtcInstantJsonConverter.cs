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
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new NotATimestamp("must be a string.");
        // An escaped or split value is rare enough to be read as a string.
        var read = reader.ValueIsEscaped || reader.HasValueSequence
            ? Rfc3339.TryParse(reader.GetString(), out var instant)
            : Rfc3339.TryParse(reader.ValueSpan, out instant);
        return read ? instant : throw new NotATimestamp(Rfc3339.Invalid(reader.GetString()!));
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>
    /// A value that is not a timestamp. System.Text.Json writes the start of its message, with the field's path
    /// ("could not be converted ... Path: $.alerts[0].startsAt ..."), and <see cref="Reason"/> ends it; a reader that
    /// names the field (the webhook) takes the reason alone.
    /// </summary>
    public sealed class NotATimestamp(string reason) : JsonException
    {
        public string Reason { get; } = reason;

        public override string Message => $"{base.Message} {Reason}";
    }
}
