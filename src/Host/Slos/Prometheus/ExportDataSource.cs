using Microsoft.AspNetCore.Authorization;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
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
    public static async Task<IResult> Get(string name, DataSources sources, HttpContext http) =>
        (await sources.Current(http.RequestAborted)).Named(name) is { } entry
            ? Results.Text(OpenSloWriter.Write(DataSourceAnswer.Of(entry).ToDefinition(entry)), "application/yaml")
            : Problems.NotFound($"No data source named '{name}'.");
}
