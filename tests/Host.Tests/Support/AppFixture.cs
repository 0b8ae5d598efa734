using Alba;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Sre.Host.Backups;
using Sre.Host.Slos;
using Wolverine;

namespace Sre.Host.Tests.Support;

/// <summary>One service host per test run, on the real PostgreSQL that scripts/test starts.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    public IAlbaHost Host { get; private set; } = null!;
    /// <summary>The service's clock, moved by the tests; it also drives the timers the service creates.</summary>
    public FakeTimeProvider Clock { get; } = new(Epoch);

    /// <summary>
    /// Where the tests' Prometheus data source "history" is (PrometheusPullTests start a Prometheus there): SLOs that name
    /// it are pulled; no other SLO is, as no default source is configured.
    /// </summary>
    public string PrometheusUrl { get; } = $"http://127.0.0.1:{Repository.FreePort()}";

    /// <summary>Where the data source "short" is: a Prometheus that keeps two hours of data (its retention gap test).</summary>
    public string ShortRetentionPrometheusUrl { get; } = $"http://127.0.0.1:{Repository.FreePort()}";

    /// <summary>The secrets of the Prometheus data sources in configuration, which no answer, export or log line may show.</summary>
    public const string HistoryAuthorization = "Bearer history-header-secret-4711";
    public const string ImportedToken = "imported-token-secret-0815";

    /// <summary>What the service logged.</summary>
    public CapturedLogs Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", TestEnvironment.ConnectionString);
        foreach (var (name, value) in TestKeys.Environment()) Environment.SetEnvironmentVariable(name, value);
        Environment.SetEnvironmentVariable("Bus__Port", TestEnvironment.RabbitMqPort.ToString());
        Environment.SetEnvironmentVariable("Toil__Owners__checkout", "payments");
        // A record of generations far smaller than the default, so that the tests' writes go past it and every cached
        // read is checked while generations are forgotten.
        Environment.SetEnvironmentVariable("Cache__Generations", "64");
        Environment.SetEnvironmentVariable("Prometheus__Sources__history__Url", PrometheusUrl);
        Environment.SetEnvironmentVariable("Prometheus__Sources__short__Url", ShortRetentionPrometheusUrl);
        Environment.SetEnvironmentVariable("Prometheus__Sources__history__Headers__Authorization", HistoryAuthorization);
        // The secret of a data source that an OpenSLO DataSource document "imported" defines (DataSourceTests).
        Environment.SetEnvironmentVariable("Prometheus__Sources__imported__BearerToken", ImportedToken);
        // Every request to a data source in the log, with its headers (the service's default leaves them out): where a
        // secret would show if the client ever sent it in the clear.
        Environment.SetEnvironmentVariable("Logging__LogLevel__System.Net.Http.HttpClient", "Trace");
        Host = await AlbaHost.For<Program>(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.RunWolverineInSoloMode();
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ServerBodyLimit>();
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            // The periodic sweeps run when a test says so (SweepAll, EvaluateAll, or BackgroundSweepTests starting a loop):
            // on the fake clock, a test's every step forward would otherwise start a sweep that races its own requests.
            foreach (var loop in services.Where(IsPeriodicSweep).ToList()) services.Remove(loop);
        }));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>The hosted-service registration of a periodic sweep (a factory handing out its singleton).</summary>
    private static bool IsPeriodicSweep(ServiceDescriptor d) =>
        d.ServiceType == typeof(IHostedService) && !d.IsKeyedService
        && d.ImplementationFactory?.Method.ReturnType is { } type && (type == typeof(SloSweep) || type == typeof(BackupMonitor) || type == typeof(Sre.Host.Slos.Prometheus.SliPuller));
}

[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "integration";
}

public static class TestEnvironment
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("SRE_TEST_PG")
        ?? throw new InvalidOperationException("SRE_TEST_PG is not set: run the tests with scripts/test.");

    public static ushort RabbitMqPort =>
        ushort.Parse(Environment.GetEnvironmentVariable("SRE_TEST_RABBITMQ_PORT")
            ?? throw new InvalidOperationException("SRE_TEST_RABBITMQ_PORT is not set: run the tests with scripts/test."));
}
