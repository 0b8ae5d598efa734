using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sre.Domain.Time;

/// <summary>Durations travel as Prometheus writes them ("30d", "5m"), in the API and in stored events alike.</summary>
public sealed class PromDurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return PromDuration.TryParse(text, out var duration)
            ? duration
            : throw new JsonException($"\"{text}\" is not a duration such as 30d, 1h or 5m.");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(PromDuration.Format(value));
}
