using JasperFx;
using Sre.Host.Alertmanager;
using Sre.Host.Backups;
using Sre.Host.Cluster;
using Sre.Host.Incidents;
using Sre.Host.Messaging;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Host.Slos.Prometheus;
using Sre.Host.Toil;
using Sre.Host.Ui;
using Wolverine.Http;

// The one place that wires the process: each capability registers its own services and binds its own section.
// The service writes numbers and times for machines and people alike in one form, whatever the host's locale.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.AddSreEventStore();
builder.AddSreHandlers();
builder.Services.AddSreCluster();
builder.Services.AddApiKeys();
builder.Services.AddAlertmanager();
builder.Services.AddIncidents();
builder.Services.AddSlos();
builder.Services.AddPrometheusPull();
builder.Services.AddToil();
builder.Services.AddBackups();
builder.Services.AddProjectionCache();
builder.Services.AddSreBus(builder.Configuration);
builder.Services.AddSreHealthChecks();
builder.AddSreTelemetry();
builder.Services.AddSreApiDocs();
builder.Services.AddSreUi();
// The UI's assets from the build output too (scripts/run, the tests): a published app has them in wwwroot, and there the
// manifest this reads is absent and nothing changes.
builder.WebHost.UseStaticWebAssets();

var app = builder.Build();

// Behind a reverse proxy that serves the service under a prefix (PathBase=/sre): links and cookies follow it.
if (builder.Configuration["PathBase"] is { Length: > 0 } pathBase) app.UsePathBase(pathBase);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseResponseCompression();
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
app.MapSreUi();

return await app.RunJasperFxCommands(args);
