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
        var sums = new Dictionary<DateTimeOffset, double>();
        foreach (var series in Data?.Result ?? [])
        foreach (var sample in series.Values ?? (series.Value is { } one ? [one] : []))
        {
            var (at, value) = Sample(sample);
            sums[at] = sums.TryGetValue(at, out var sum) ? sum + value : value;
        }
        return sums;
    }

    /// <summary>One <c>[unix seconds, "value"]</c> pair; the instant to the millisecond, as Prometheus keeps it.</summary>
    public static (DateTimeOffset At, double Value) Sample(JsonElement[] pair)
    {
        if (pair.Length != 2) throw new FormatException($"A sample has {pair.Length} elements, not 2.");
        var seconds = pair[0].GetDecimal();
        var value = pair[1].GetString() switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            { } text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            null => throw new FormatException("A sample has no value."),
        };
        return (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000m)), value);
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
    [property: JsonPropertyName("values")] IReadOnlyList<JsonElement[]>? Values = null,
    [property: JsonPropertyName("value")] JsonElement[]? Value = null);
