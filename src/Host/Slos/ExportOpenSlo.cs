using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Sre.Host.Slos.Prometheus;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// An SLO as OpenSLO v1 (application/yaml): the SLO (by its name, or an objective's <c>{slo}.{objective}</c>: the whole SLO)
/// with every document it refers to, in one stream, what is referred to first (Service, DataSource, SLI,
/// AlertNotificationTarget, AlertCondition, AlertPolicy, SLO). Imported documents come back as imported; an SLO defined or
/// changed through the JSON API is written from its definition. Importing the answer stores nothing new. 404: no such SLO.
/// </summary>
public static class ExportOpenSloEndpoint
{
    [WolverineGet("/api/v1/slos/{name}/openslo")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, IQuerySession session, ProjectionCache cache, IOptions<PrometheusOptions> prometheus, HttpContext http) =>
        await Yaml(name, session, cache, prometheus.Value, http.RequestAborted) is { } yaml
            ? Results.Text(yaml, "application/yaml")
            : Problems.NotFound($"No SLO named '{name}'.");

    /// <summary>The YAML this endpoint answers, or null when there is no such SLO (the web UI's download is the same).</summary>
    public static async Task<string?> Yaml(string name, IQuerySession session, ProjectionCache cache, PrometheusOptions prometheus, CancellationToken ct)
    {
        var catalog = await OpenSloCatalog.Load(session, await DataSourceCatalog.Load(session, cache, prometheus, ct), ct);
        return await catalog.ExportSlo(session, name, ct) is { } documents ? OpenSloYaml.Write(documents) : null;
    }
}

/// <summary>
/// Everything as OpenSLO v1 (application/yaml), to seed a repository: every stored document, every SLO that runs (retired
/// ones left out) and every imported data source, in the order of <see cref="ExportOpenSloEndpoint"/>. Importing it stores nothing new.
/// </summary>
public static class ExportAllOpenSloEndpoint
{
    [WolverineGet("/api/v1/openslo")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(IQuerySession session, ProjectionCache cache, IOptions<PrometheusOptions> prometheus, HttpContext http)
    {
        var catalog = await OpenSloCatalog.Load(session, await DataSourceCatalog.Load(session, cache, prometheus.Value, http.RequestAborted), http.RequestAborted);
        return Results.Text(OpenSloYaml.Write(await catalog.ExportAll(session, http.RequestAborted)), "application/yaml");
    }
}
