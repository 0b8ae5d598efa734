using System.Diagnostics.Metrics;
using Sre.Host.Operations;

namespace Sre.Host.Slos.Prometheus;

/// <summary>
/// What the pull does, on <c>/metrics</c>: <c>sre_slo_pull_duration_seconds</c> (a histogram of one SLO's pull, labels
/// <c>slo</c>, <c>source</c>) and <c>sre_slo_pull_errors_total</c> (labels <c>slo</c>, <c>source</c>, <c>kind</c>: Prometheus's
/// <c>errorType</c> for a refusal, <c>definition</c>, <c>unavailable</c> when Prometheus or the database could not be
/// reached after the retries, or <c>conflict</c> when another write to the SLO's stream came first). The age of each SLO's last pulled slice is a gauge of <see cref="BusinessMetrics"/>
/// (<c>sre_slo_pull_age_seconds</c>); requests per data source are .NET's own <c>http_client_request_duration_seconds</c>
/// (label <c>server_address</c>).
/// </summary>
public sealed class PullMetrics : IDisposable
{
    private readonly Meter _meter = new(BusinessMetrics.MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;

    public PullMetrics()
    {
        _duration = _meter.CreateHistogram<double>("sre_slo_pull_duration_seconds", "s", "Time one SLO's pull took.");
        _errors = _meter.CreateCounter<long>("sre_slo_pull_errors", description: "Pulls of an SLO that failed, by kind.");
    }

    public void Pulled(string slo, string source, TimeSpan took) => _duration.Record(took.TotalSeconds, new("slo", slo), new("source", source));

    public void Failed(string slo, string source, string kind) => _errors.Add(1, new("slo", slo), new("source", source), new("kind", kind));

    public void Dispose() => _meter.Dispose();
}
