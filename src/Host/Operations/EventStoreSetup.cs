using System.ComponentModel.DataAnnotations;
using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sre.Domain;
using Sre.Domain.Time;
using Sre.Host.Backups;
using Sre.Host.Cluster;
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

    /// <summary>
    /// Whether the process creates and updates its own tables, functions and Wolverine's envelope storage at start
    /// (CreateOrUpdate, for one process on a developer's machine), or leaves them to <c>db-apply</c> run once before
    /// (None: the Kubernetes pods, whose migration Job applies the schema).
    /// </summary>
    [Display(Name = "Marten:AutoCreate")]
    public AutoCreate AutoCreate { get; set; } = AutoCreate.CreateOrUpdate;

    public static AutoCreate Configured(IConfiguration configuration) =>
        configuration.GetSection("Marten").Get<EventStoreOptions>()?.AutoCreate ?? AutoCreate.CreateOrUpdate;
}

public static class EventStoreSetup
{
    /// <summary>
    /// One PostgreSQL connection pool for the whole process: Marten, the health check, the slice store and the cache's
    /// LISTEN connection all take their connections from it. Marten on top, with its async projections and subscriptions
    /// run where Wolverine assigns them.
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
        var autoCreate = EventStoreOptions.Configured(builder.Configuration);
        var marten = builder.Services.AddMarten(sp =>
            {
                var opts = new StoreOptions().ConfigureSreStore(sp.GetRequiredService<IOptions<EventStoreOptions>>().Value.Schema);
                opts.AutoCreateSchemaObjects = autoCreate;
                opts.Listeners.Add(new CacheInvalidationListener(sp.GetRequiredService<ProjectionCache>()));
                opts.Logger(sp.GetRequiredService<MartenFailureLog>());
                return opts;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions();
        if (autoCreate != AutoCreate.None) marten.ApplyAllDatabaseChangesOnStartup();
        marten
            .AddSubscriptionWithServices<IntegrationEventPublisher>(ServiceLifetime.Singleton)
            // Committed events that set off side effects become Wolverine messages (SideEffects), each in the
            // transaction that advances the subscription's checkpoint.
            .PublishEventsToWolverine(RecordIncidentToilHandler.Subscription, RecordIncidentToilHandler.Relay)
            .PublishEventsToWolverine(RaiseBackupAlertHandler.Subscription, RaiseBackupAlertHandler.Relay)
            // Wolverine runs each projection and subscription shard on exactly one process and spreads them across the
            // processes (in place of the daemon's own HotCold election, which put them all on one): ClusterSetup.
            .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true);
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
            // Wolverine commits what an endpoint or handler appends, before its answer goes out.
            opts.Policies.AutoApplyTransactions();
            opts.AddSideEffects();
            // Wolverine's envelope tables follow the event store's setting: applied by db-apply when it is None.
            opts.AutoBuildMessageStorageOnStartup = EventStoreOptions.Configured(builder.Configuration);
            // What the idle service polls (bench/RESULTS.md): Wolverine's durability metrics count the envelope tables every
            // 5 s for a meter nothing exports; nothing is scheduled (retries cool down in memory), so the scheduled-job poll,
            // the orphan sweep and the node reassignment check can be slow. A dead process's stored messages are recovered
            // within a minute after Wolverine's stale-node timeout.
            opts.Durability.DurabilityMetricsEnabled = false;
            opts.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(30);
            opts.Durability.OrphanedMessageSweepPollingTime = TimeSpan.FromMinutes(1);
            opts.Durability.NodeReassignmentPollingTime = TimeSpan.FromSeconds(30);
            opts.ConfigureCluster(builder.Configuration);
        });
        builder.Services.AddWolverineHttp();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(EnumText.JsonConverter);
            o.SerializerOptions.Converters.Add(new PromDurationJsonConverter());
            o.SerializerOptions.Converters.Add(new UtcInstantJsonConverter());
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.RespectNullableAnnotations = true;
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = QueryValueProblems.Explain);
        builder.Services.AddExceptionHandler<FaultHandler>();
    }
}
