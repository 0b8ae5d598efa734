using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Sre.Host.Operations;

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
        builder.Logging.AddFilter((category, level) => level < LogLevel.Error || !IsRecordOfOurs(category));

        builder.Services.AddSingleton<BusinessMetrics>();
        var otlp = builder.Configuration["Telemetry:OtlpEndpoint"];
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(BusinessMetrics.MeterName)
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(otlp))
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
                .AddNpgsql()
                .AddSource("MassTransit")
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = new Uri(otlp);
                    // grpc (port 4317), or http/protobuf with the whole URL (http://collector:4318/v1/traces).
                    o.Protocol = builder.Configuration["Telemetry:OtlpProtocol"] == "http/protobuf"
                        ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf
                        : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
                }));
    }

    public static void MapSreMetrics(this WebApplication app)
    {
        // Created now, so the gauges are registered before the first scrape.
        app.Services.GetRequiredService<BusinessMetrics>();
        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
