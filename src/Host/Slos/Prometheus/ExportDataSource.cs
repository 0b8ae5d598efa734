using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos.Prometheus;

/// <summary>
/// A data source as an OpenSLO v1 DataSource document (application/yaml): an imported one as imported, a configured one
/// as configuration gives it. Never a secret: <c>bearerToken</c> and <c>password</c> are the references to configuration
/// (<c>${Prometheus:Sources:{name}:BearerToken}</c>), and headers that carry a credential are left out.
/// </summary>
public static class ExportDataSourceEndpoint
{
    [WolverineGet("/api/v1/datasources/{name}/openslo")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, IQuerySession session, ProjectionCache cache, IOptions<PrometheusOptions> prometheus, HttpContext http) =>
        (await DataSourceCatalog.Load(session, cache, prometheus.Value, http.RequestAborted)).Named(name) is { } entry
            ? Results.Text(OpenSloWriter.Write(DataSourceAnswer.Of(entry).ToDefinition(entry)), "application/yaml")
            : Problems.NotFound($"No data source named '{name}'.");
}
