using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using Marten;
using Sre.Domain.Alertmanager;
using Sre.Host.Alertmanager;
using Sre.Host.Backups;
using Sre.Host.Toil;
using Sre.Host.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using JasperFx.Events.Daemon;
using Sre.Host.Messaging;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Projections;
using Sre.Projections.Caching;
using Sre.Projections.Incidents;
using Sre.Projections.Slos;
using Sre.Projections.Toil;
using Sre.Projections.Backups;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

// The one place that wires the process.
var builder = WebApplication.CreateBuilder(args);
var auth = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
builder.Services.AddSreApiKeys(auth);
builder.Services.AddSreRequestLimits(auth);

var connectionString = builder.Configuration.GetConnectionString("Marten")
    ?? throw new InvalidOperationException("ConnectionStrings:Marten is not configured.");

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.Configure<IngestOptions>(builder.Configuration.GetSection("Alertmanager"));
builder.Services.Configure<IngestWriterOptions>(builder.Configuration.GetSection("Alertmanager"));
builder.Services.Configure<IncidentOptions>(builder.Configuration.GetSection("Incidents"));
builder.Services.AddSingleton<AlertIngestor>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertIngestor>());
builder.Services.Configure<ObservationLimits>(builder.Configuration.GetSection("Slos"));
builder.Services.Configure<SloPolicyOptions>(builder.Configuration.GetSection("Slos"));
builder.Services.AddSingleton<ObservationWriter>();
var schema = builder.Configuration["Marten:Schema"] ?? "sre";
var dataSource = Npgsql.NpgsqlDataSource.Create(EventStore.WithAutoPrepare(connectionString));
builder.Services.AddSingleton(dataSource);
builder.Services.AddSingleton(new SliceStore(dataSource, schema));
var cache = new ProjectionCache(builder.Configuration.GetSection("Cache").Get<CacheOptions>() ?? new CacheOptions());
builder.Services.AddSingleton(cache);
builder.Services.AddHostedService<CacheNotifications>();
builder.Services.AddSingleton<SloEvaluator>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<SloEvaluator>());
builder.Services.Configure<ToilOptions>(builder.Configuration.GetSection("Toil"));
builder.Services.Configure<BackupOptions>(builder.Configuration.GetSection("Backups"));
builder.Services.AddSingleton<BackupWriter>();
builder.Services.AddSingleton<BackupMonitor>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<BackupMonitor>());
builder.Services.AddSreBus(builder.Configuration);
builder.Services.AddSreHealthChecks(connectionString);
builder.AddSreTelemetry();
builder.Services.AddSreApiDocs();

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
    o.SerializerOptions.Converters.Add(new PromDurationJsonConverter());
    o.SerializerOptions.Converters.Add(new UtcInstantJsonConverter());
    o.SerializerOptions.RespectRequiredConstructorParameters = true;
    o.SerializerOptions.RespectNullableAnnotations = true;
});
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<FaultHandler>();

builder.Services.AddMarten(opts =>
    {
        opts.ConfigureSreStore(connectionString, schema);
        opts.Listeners.Add(new CacheInvalidationListener(cache));
        // A process that stops holding the lock hands the daemon (and the publishing) to another within seconds.
        opts.Projections.LeadershipPollingTime = 2_000;
    })
    .UseLightweightSessions()
    .ApplyAllDatabaseChangesOnStartup()
    .AddAsyncDaemon(DaemonMode.HotCold)
    .AddSubscriptionWithServices<IntegrationEventPublisher>(ServiceLifetime.Singleton)
    .AddSubscriptionWithServices<IncidentToilRecorder>(ServiceLifetime.Singleton)
    .AddSubscriptionWithServices<BackupIncidentOpener>(ServiceLifetime.Singleton)
    .IntegrateWithWolverine();

builder.Host.UseWolverine(opts =>
{
    // The handlers' code is generated ahead (src/Host/Internal/Generated, `dotnet run --project src/Host -- codegen write`
    // after changing an endpoint or handler): no Roslyn in the running process. A handler without pre-generated code
    // is still compiled at its first use.
    opts.UseRuntimeCompilation();
    opts.CodeGeneration.TypeLoadMode = JasperFx.CodeGeneration.TypeLoadMode.Auto;
    // MassTransit consumers are MassTransit's, not Wolverine handlers.
    opts.Discovery.CustomizeHandlerDiscovery(q => q.Excludes.Implements<MassTransit.IConsumer>());
});
builder.Services.ConfigureMarten((sp, opts) => opts.Logger(sp.GetRequiredService<MartenFailureLog>()));
builder.Services.AddSingleton<MartenFailureLog>();
builder.Services.AddWolverineHttp();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseMiddleware<RequestBodies>();
// A query value that does not parse is a 400 naming the parameter, never a silent default.
app.MapWolverineEndpoints(o => o.RejectUnparseableQueryValues = true);
app.MapSreHealthChecks();
app.MapSreMetrics();
app.MapSreApiDocs();

return await app.RunJasperFxCommands(args);
