using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Sre.Host.Operations;

/// <summary>Configuration section "Telemetry".</summary>
public sealed class TelemetryOptions
{
    /// <summary>Where traces go (none: no traces).</summary>
    [Url, Display(Name = "Telemetry:OtlpEndpoint")]
    public string? OtlpEndpoint { get; set; }

    [RegularExpression("^(grpc|http/protobuf)$", ErrorMessage = "Telemetry:OtlpProtocol must be grpc or http/protobuf.")]
    public string OtlpProtocol { get; set; } = "grpc";
}

/// <summary>
/// OpenTelemetry: metrics for Prometheus at /metrics (the HTTP server's own RED from ASP.NET Core, the business
/// numbers of <see cref="BusinessMetrics"/>), and traces of HTTP, Npgsql and MassTransit exported over OTLP when
/// <c>Telemetry:OtlpEndpoint</c> is set (off by default). Logs are JSON lines in ECS names (<see cref="EcsLogFormatter"/>).
/// </summary>
public static class Telemetry
{
    private static bool IsRecordOfOurs(string? category) =>
        category is not null && category.StartsWith("Sre.", StringComparison.Ordinal)
        && typeof(Telemetry).Assembly.GetType(category) is { } type && type.GetMethod("<Clone>$") is not null;

    public static void AddSreTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.FormatterName = EcsLogFormatter.Name).AddConsoleFormatter<EcsLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        // Wolverine logs a request body it cannot read at Error, under the body type's name (ILogger<TBody>), though the
        // client already has its 400 naming the field. A record never logs for itself, so nothing else is lost.
        // This rule takes the place of Logging:LogLevel:Default (the rules of named categories still win over it), so it
        // keeps that level itself.
        var least = Enum.TryParse<LogLevel>(builder.Configuration["Logging:LogLevel:Default"], ignoreCase: true, out var configured)
            ? configured
            : LogLevel.Information;
        builder.Logging.AddFilter((category, level) => level >= least && (level < LogLevel.Error || !IsRecordOfOurs(category)));

        builder.Services.AddSingleton<BusinessMetrics>();
        builder.Services.AddSreOptions<TelemetryOptions>("Telemetry");
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(BusinessMetrics.MeterName)
                // HttpClient's own: requests to each Prometheus data source, by server address.
                .AddMeter("System.Net.Http")
                // The runtime's own (.NET 9 and later): CPU time, garbage collections, heap sizes, the JIT's compilation
                // time, the thread pool's queue and threads (dotnet_*).
                .AddMeter("System.Runtime")
                .AddPrometheusExporter());
        // Whether to trace at all is decided before the container exists; where to, from the options.
        if (string.IsNullOrWhiteSpace(builder.Configuration["Telemetry:OtlpEndpoint"])) return;
        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
            .AddNpgsql()
            .AddSource("MassTransit")
            .AddOtlpExporter());
        builder.Services.AddOptions<OtlpExporterOptions>().Configure<IOptions<TelemetryOptions>>((o, options) =>
        {
            o.Endpoint = new Uri(options.Value.OtlpEndpoint!);
            // grpc (port 4317), or http/protobuf with the whole URL (http://collector:4318/v1/traces).
            o.Protocol = options.Value.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        });
    }

    public static void MapSreMetrics(this WebApplication app)
    {
        // Created now, so the gauges are registered before the first scrape.
        app.Services.GetRequiredService<BusinessMetrics>();
        app.Services.GetRequiredService<Cluster.ClusterMetrics>();
        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
