using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Sre.Host.Operations;

namespace Sre.Host.Slos.Prometheus;

public static class PrometheusSetup
{
    /// <summary>The named client of the Prometheus data sources (its handlers rotate as IHttpClientFactory rotates them).</summary>
    public const string ClientName = "prometheus";

    /// <summary>
    /// The client of the pull a definition sets off (<see cref="PullSli"/>): one attempt, within the query timeout. It
    /// runs on the side-effects queue, which must not wait out a backoff for a source that is down: the periodic pull,
    /// with the retries, catches up.
    /// </summary>
    public const string SingleAttemptClientName = "prometheus-single-attempt";

    /// <summary>
    /// The pull of SLIs from Prometheus: the "Prometheus" section, the API client on <see cref="IHttpClientFactory"/> with
    /// the standard resilience pipeline (retries of timeouts, 429 and 5xx with exponential backoff and jitter, a circuit
    /// breaker per source address, an attempt timeout a little above the query timeout), and the puller.
    /// </summary>
    public static IServiceCollection AddPrometheusPull(this IServiceCollection services)
    {
        services.AddSreOptions<PrometheusOptions>("Prometheus");
        // A named client, created for each pull: the puller is a singleton, and a typed client held by one would keep its
        // first handler (and DNS answer) for ever; nothing is built at start when no source is configured.
        // One pipeline per data source's address: a source that is down opens its own circuit, not the others'.
        var pipeline = services.AddHttpClient(ClientName).AddStandardResilienceHandler();
        pipeline.SelectPipelineByAuthority();
        services.AddOptions<HttpStandardResilienceOptions>(pipeline.PipelineName).Configure<IOptions<PrometheusOptions>>((resilience, prometheus) =>
        {
            var timeout = prometheus.Value.QueryTimeout + TimeSpan.FromSeconds(5);
            resilience.AttemptTimeout.Timeout = timeout;
            resilience.CircuitBreaker.SamplingDuration = timeout * 2;
            resilience.TotalRequestTimeout.Timeout = timeout * 4;
        });
        services.AddHttpClient(SingleAttemptClientName).AddResilienceHandler("single-attempt", (builder, context) =>
            builder.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<PrometheusOptions>>().Value.QueryTimeout + TimeSpan.FromSeconds(5)));
        services.AddSingleton<PullMetrics>();
        services.AddSingleton<SliPuller>();
        services.AddHostedService(sp => sp.GetRequiredService<SliPuller>());
        return services;
    }
}
