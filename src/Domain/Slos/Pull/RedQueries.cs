using System.Globalization;

namespace Sre.Domain.Slos.Pull;

/// <summary>Which metrics a service's RED SLIs are read from.</summary>
public enum RedMetrics
{
    /// <summary>Istio's standard metrics: <c>istio_requests_total</c>, <c>istio_request_duration_milliseconds</c>.</summary>
    Istio,

    /// <summary>Plain Prometheus HTTP metrics: <c>http_requests_total</c> (label <c>code</c>), <c>http_request_duration_seconds</c>.</summary>
    Http,
}

/// <summary>The PromQL of a service's RED SLIs, with Sloth's <c>{{.window}}</c> placeholder: per-second rates.</summary>
/// <param name="Requests">All requests (the errors' and the rate's total).</param>
/// <param name="Errors">Failed requests: 5xx, and for gRPC the server-side failure statuses.</param>
/// <param name="FastEnough">Requests answered within the threshold (the histogram's bucket at it).</param>
/// <param name="Timed">All requests the histogram counted.</param>
public sealed record RedQueries(string Requests, string Errors, string FastEnough, string Timed)
{
    private const string Window = "{{.window}}";

    /// <summary>
    /// gRPC statuses that are the server's failures (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE,
    /// DATA_LOSS): a gRPC call that fails answers HTTP 200, so Istio shows it in <c>grpc_response_status</c> only.
    /// </summary>
    public const string GrpcServerFailures = "2|4|12|13|14|15";

    /// <summary>
    /// The queries for <paramref name="service"/>. Istio: the server side's view only (<c>reporter="destination"</c>, or
    /// each request counts twice), of <c>destination_service_name</c> unless a selector is given; plain metrics: the
    /// <c>service</c> label unless a selector is given. The latency bucket matches Prometheus 2's <c>le="100"</c> and 3's
    /// <c>le="100.0"</c>; the threshold must be one of the histogram's bounds (Istio's: 0.5, 1, 5, 10, 25, 50, 100, 250,
    /// 500, 1000... ms).
    /// </summary>
    public static RedQueries For(RedMetrics metrics, string service, string? selector, TimeSpan threshold, bool grpc)
    {
        if (metrics == RedMetrics.Istio)
        {
            var on = $"reporter=\"destination\",{selector ?? $"destination_service_name=\"{service}\""}";
            string Rate(string metric, string labels) => $"sum(rate({metric}{{{labels}}}[{Window}]))";
            var failed = Rate("istio_requests_total", $"{on},response_code=~\"5..\"");
            return new RedQueries(
                Rate("istio_requests_total", on),
                grpc
                    ? $"({failed} or vector(0)) + ({Rate("istio_requests_total", $"{on},response_code!~\"5..\",grpc_response_status=~\"{GrpcServerFailures}\"")} or vector(0))"
                    : failed,
                Rate("istio_request_duration_milliseconds_bucket", $"{on},le=~\"{Bound(threshold.TotalMilliseconds)}\""),
                Rate("istio_request_duration_milliseconds_count", on));
        }
        var plain = selector ?? $"service=\"{service}\"";
        string Plain(string metric, string extra) => $"sum(rate({metric}{{{plain}{extra}}}[{Window}]))";
        return new RedQueries(
            Plain("http_requests_total", ""),
            Plain("http_requests_total", ",code=~\"5..\""),
            Plain("http_request_duration_seconds_bucket", $",le=~\"{Bound(threshold.TotalSeconds)}\""),
            Plain("http_request_duration_seconds_count", ""));
    }

    /// <summary>A bucket bound as a regex matching both spellings: <c>100(\\.0)?</c> (a PromQL string: its regex is <c>100(\.0)?</c>).</summary>
    private static string Bound(double value) => value.ToString("0.######", CultureInfo.InvariantCulture).Replace(".", "\\\\.") + "(\\\\.0)?";
}
