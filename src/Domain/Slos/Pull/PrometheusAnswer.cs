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
    public IReadOnlyDictionary<DateTimeOffset, double> SumByInstant()
    {
        var series = Data?.Result ?? [];
        var sums = new Dictionary<DateTimeOffset, double>(series.Count == 0 ? 0 : series[0].Values?.Count ?? 1);
        foreach (var one in series)
        foreach (var sample in one.Values ?? (one.Value is { } only ? [only] : []))
            sums[sample.At] = sums.TryGetValue(sample.At, out var sum) ? sum + sample.Value : sample.Value;
        return sums;
    }

    /// <summary>An instant as the API takes it: Unix seconds with milliseconds.</summary>
    public static string Format(DateTimeOffset instant) =>
        (instant.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>The <c>data</c> of a successful answer: <c>resultType</c> (matrix, vector, scalar, string) and its series.</summary>
public sealed record PrometheusData(
    [property: JsonPropertyName("resultType")] string ResultType,
    [property: JsonPropertyName("result")] IReadOnlyList<PrometheusSeries> Result);

/// <summary>One series: its labels, and <c>values</c> (a range query) or <c>value</c> (an instant query).</summary>
public sealed record PrometheusSeries(
    [property: JsonPropertyName("metric")] IReadOnlyDictionary<string, string>? Metric = null,
    [property: JsonPropertyName("values")] IReadOnlyList<PrometheusSample>? Values = null,
    [property: JsonPropertyName("value")] PrometheusSample? Value = null);

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
