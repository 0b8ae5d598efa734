using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sre.Domain.Time;
using Sre.Host.Backups;
using Sre.Host.Messaging;
using Sre.Host.Toil;
using Sre.Projections;
using Sre.Projections.Caching;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Operations;

/// <summary>Configuration section "Marten" (the connection string is ConnectionStrings:Marten).</summary>
public sealed class EventStoreOptions
{
    [Required, RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$"), Display(Name = "Marten:Schema")]
    public string Schema { get; set; } = "sre";
}

public static class EventStoreSetup
{
    /// <summary>
    /// One PostgreSQL connection pool for the whole process: Marten, the health check, the slice store and the cache's
    /// LISTEN connection all take their connections from it. Marten on top, with its async daemon and subscriptions.
    /// </summary>
    public static void AddSreEventStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not configured.");
        // Npgsql's own logging stays off, as it was before the pool came from the container: Marten logs its commands
        // (MartenFailureLog), and Npgsql would log every connection and command.
        builder.Services.AddNpgsqlDataSource(EventStore.WithAutoPrepare(connectionString),
            dataSource => dataSource.UseLoggerFactory(NullLoggerFactory.Instance));
        builder.Services.AddSreOptions<EventStoreOptions>("Marten");
        builder.Services.AddSingleton<MartenFailureLog>();
        builder.Services.AddMarten(sp =>
            {
                var opts = new StoreOptions().ConfigureSreStore(sp.GetRequiredService<IOptions<EventStoreOptions>>().Value.Schema);
                opts.Listeners.Add(new CacheInvalidationListener(sp.GetRequiredService<ProjectionCache>()));
                opts.Logger(sp.GetRequiredService<MartenFailureLog>());
                // A process that stops holding the lock hands the daemon (and the publishing) to another within seconds.
                opts.Projections.LeadershipPollingTime = 2_000;
                return opts;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .AddSubscriptionWithServices<IntegrationEventPublisher>(ServiceLifetime.Singleton)
            .AddSubscriptionWithServices<IncidentToilRecorder>(ServiceLifetime.Singleton)
            .AddSubscriptionWithServices<BackupIncidentOpener>(ServiceLifetime.Singleton)
            .IntegrateWithWolverine();
    }

    /// <summary>
    /// Wolverine's handlers and HTTP endpoints, on the code generated ahead (src/Host/Internal/Generated, written by
    /// scripts/codegen): loaded as compiled types, never compiled in the process (no Roslyn is referenced), in production
    /// and in the tests alike. Static mode takes the endpoints from the generated registry, so one added without
    /// scripts/codegen is not served at all; scripts/test fails while the committed code differs from what it writes,
    /// and <c>check-env</c> asserts every pre-generated type exists.
    /// </summary>
    public static void AddSreHandlers(this WebApplicationBuilder builder)
    {
        builder.Services.CritterStackDefaults(x =>
        {
            foreach (var profile in new[] { x.Development, x.Production })
            {
                profile.GeneratedCodeMode = TypeLoadMode.Static;
                profile.AssertAllPreGeneratedTypesExist = true;
            }
        });
        builder.Host.UseWolverine(opts =>
        {
            // MassTransit consumers are MassTransit's, not Wolverine handlers.
            opts.Discovery.CustomizeHandlerDiscovery(q => q.Excludes.Implements<MassTransit.IConsumer>());
            // Wolverine opens the Marten session of a handler or endpoint that uses one and commits it after the handler,
            // before the response is written (an endpoint's 2xx follows a durable commit).
            opts.Policies.AutoApplyTransactions();
        });
        builder.Services.AddWolverineHttp();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.Converters.Add(new PromDurationJsonConverter());
            o.SerializerOptions.Converters.Add(new UtcInstantJsonConverter());
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.RespectNullableAnnotations = true;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<FaultHandler>();
    }
}
