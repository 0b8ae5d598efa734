using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sre.Domain.Slos.Pull;

/// <summary>
/// The body of a Prometheus HTTP API answer (<c>/api/v1/query_range</c>, <c>/api/v1/query</c>):
/// <c>{"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[1732089600,"1.5"],...]}]}}</c>,
/// or <c>{"status":"error","errorType":"bad_data","error":"..."}</c> (HTTP 400 for bad PromQL, 422 when the query
/// cannot be executed, 503 on timeout or overload). See https://prometheus.io/docs/prometheus/latest/querying/api/.
/// </summary>
public sealed record PrometheusAnswer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("data")] PrometheusData? Data = null,
    [property: JsonPropertyName("errorType")] string? ErrorType = null,
    [property: JsonPropertyName("error")] string? Error = null)
{
    /// <summary>
    /// The answer's series summed per evaluation instant (a query that keeps several series, for example one per pod,
    /// counts the events of all of them), as finite or non-finite doubles: Prometheus writes values as strings, and
    /// <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c> as such. An instant no series has is absent, never zero.
    /// </summary>
    public IReadOnlyDictionary<DateTimeOffset, double> SumByInstant() => Data?.Sums ?? new Dictionary<DateTimeOffset, double>();

    /// <summary>An instant as the API takes it: Unix seconds with milliseconds.</summary>
    public static string Format(DateTimeOffset instant) =>
        (instant.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>
/// The <c>data</c> of a successful answer: <c>resultType</c> (matrix, vector, scalar, string) and its series' samples
/// summed per instant (<see cref="PrometheusAnswer.SumByInstant"/>), added up as they are read
/// (<see cref="PrometheusDataConverter"/>): the pull needs no series' labels, and a month of minute samples is 43,200 a series.
/// </summary>
[JsonConverter(typeof(PrometheusDataConverter))]
public sealed record PrometheusData(string ResultType, IReadOnlyDictionary<DateTimeOffset, double> Sums);

/// <summary>
/// Reads <c>{"resultType":"matrix","result":[{"metric":{...},"values":[[t,"v"],...]},...]}</c> (or a vector's
/// <c>"value":[t,"v"]</c>) straight into the sums per instant; labels are skipped. Anything else is a <see cref="JsonException"/>.
/// </summary>
public sealed class PrometheusDataConverter : JsonConverter<PrometheusData>
{
    private static readonly PrometheusSampleConverter Samples = new();

    public override PrometheusData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("The answer's data is not an object.");
        string? type = null;
        var sums = new Dictionary<DateTimeOffset, double>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "resultType") type = reader.GetString();
            else if (name == "result" && reader.TokenType == JsonTokenType.StartArray)
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) ReadSeries(ref reader, sums, options);
            else reader.Skip();
        }
        return new PrometheusData(type ?? throw new JsonException("The answer's data has no resultType."), sums);
    }

    private static void ReadSeries(ref Utf8JsonReader reader, Dictionary<DateTimeOffset, double> sums, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("A series is not an object.");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "values" && reader.TokenType == JsonTokenType.StartArray)
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) Add(sums, Samples.Read(ref reader, typeof(PrometheusSample), options));
            else if (name == "value" && reader.TokenType == JsonTokenType.StartArray) Add(sums, Samples.Read(ref reader, typeof(PrometheusSample), options));
            else reader.Skip();
        }
    }

    private static void Add(Dictionary<DateTimeOffset, double> sums, PrometheusSample sample)
    {
        ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sums, sample.At, out _);
        sum += sample.Value;
    }

    public override void Write(Utf8JsonWriter writer, PrometheusData value, JsonSerializerOptions options)
    {
        // The sums as one series without labels: what the pull reads back is the same.
        writer.WriteStartObject();
        writer.WriteString("resultType", value.ResultType);
        writer.WriteStartArray("result");
        writer.WriteStartObject();
        writer.WriteStartObject("metric");
        writer.WriteEndObject();
        writer.WriteStartArray("values");
        foreach (var (at, sum) in value.Sums.OrderBy(s => s.Key)) Samples.Write(writer, new PrometheusSample(at, sum), options);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>
/// One sample, <c>[unix seconds, "value"]</c>: the instant to the millisecond, as Prometheus keeps it, and the value as a
/// double (Prometheus writes values as strings, and <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c> as such). Read straight
/// from the JSON (<see cref="PrometheusSampleConverter"/>): a month of minute samples is 43,200 of them per query.
/// </summary>
[JsonConverter(typeof(PrometheusSampleConverter))]
public readonly record struct PrometheusSample(DateTimeOffset At, double Value);

/// <summary>Reads a sample pair without building a JSON element per number; anything else than <c>[number, "string"]</c> is a <see cref="JsonException"/>.</summary>
public sealed class PrometheusSampleConverter : JsonConverter<PrometheusSample>
{
    public override PrometheusSample Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A sample is not an array.");
        // Seconds with at most millisecond digits (13 significant digits): exact enough in a double to round to the millisecond.
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds))
            throw new JsonException("A sample has no instant in Unix seconds.");
        if (!reader.Read() || reader.TokenType != JsonTokenType.String) throw new JsonException("A sample has no value.");
        // Most values are plain decimals, which Utf8Parser reads fastest; NaN and the infinities take the general path.
        var text = reader.ValueSpan;
        var value = System.Buffers.Text.Utf8Parser.TryParse(text, out double plain, out var used) && used == text.Length ? plain
            : reader.ValueTextEquals("+Inf"u8) ? double.PositiveInfinity
            : reader.ValueTextEquals("-Inf"u8) ? double.NegativeInfinity
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw new JsonException("A sample has more than 2 elements.");
        return new PrometheusSample(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), value);
    }

    public override void Write(Utf8JsonWriter writer, PrometheusSample value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteRawValue(PrometheusAnswer.Format(value.At));
        writer.WriteStringValue(double.IsPositiveInfinity(value.Value) ? "+Inf" : double.IsNegativeInfinity(value.Value) ? "-Inf"
            : value.Value.ToString("R", CultureInfo.InvariantCulture));
        writer.WriteEndArray();
    }
}
