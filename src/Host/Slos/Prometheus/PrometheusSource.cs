using System.ComponentModel.DataAnnotations;

namespace Sre.Host.Slos.Prometheus;

/// <summary>
/// A Prometheus data source (or anything that speaks its HTTP API: Thanos, Mimir, Cortex, VictoriaMetrics): where it is,
/// how to sign in, and how long a query may take. Configuration section "Prometheus" is the default source. The token
/// and password are secrets: no answer, log line or export carries them.
/// </summary>
public class PrometheusSource
{
    /// <summary>The base URL, for example <c>http://prometheus.monitoring:9090</c> (the API is under <c>/api/v1</c>).</summary>
    [Url, Display(Name = "Prometheus:Url")]
    public string? Url { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Basic authentication, with <see cref="Password"/>.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Extra headers on every request, for example <c>X-Scope-OrgID</c> for a Mimir, Cortex or Thanos tenant.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>The longest a query may run (also sent to Prometheus as its <c>timeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00"), Display(Name = "Prometheus:QueryTimeout")]
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The length of the slices pulled from this source (Prometheus's <c>step</c> and the <c>{{.window}}</c> of the queries)
    /// unless an SLI gives its own; null: <c>Prometheus:SliceLength</c>, else 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00"), Display(Name = "Prometheus:SliceLength")]
    public TimeSpan? SliceLength { get; set; }

    /// <summary>
    /// How far back the source holds data: slices that ended earlier are a retention gap, not asked for. Null: asked of
    /// the source (<c>/api/v1/status/runtimeinfo</c>, <c>storageRetention</c>), unknown when it does not say (Thanos,
    /// Mimir, or a retention by size only).
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "36500.00:00:00"), Display(Name = "Prometheus:Retention")]
    public TimeSpan? Retention { get; set; }
}
