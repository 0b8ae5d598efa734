using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Domain;
using Sre.Domain.Incidents;
using Sre.Domain.Slos.Pull;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos.Prometheus;

/// <summary>When a data source was imported and last changed, and whether it is used (false: configuration gives a source of that name).</summary>
public sealed record DataSourceImport(long Version, Stamp Defined, Stamp? Changed, bool Used);

/// <summary>
/// A Prometheus data source as <c>GET /api/v1/datasources</c> answers it, never with a secret: <c>origin</c>
/// (<c>configuration</c> or <c>openslo</c>), <c>url</c> (without credentials or a query), <c>headers</c> with their values
/// (a tenant's <c>X-Scope-OrgID</c>), <c>secretHeaders</c> (the names of configured headers that carry a credential,
/// such as <c>Authorization</c>: their values are never shown), <c>queryTimeout</c> (a duration, <c>30s</c>), <c>auth</c>
/// (<c>bearer</c>, <c>basic</c> or <c>none</c>), <c>missingSecret</c> (the configuration key an imported document refers
/// to that is not set: the source is not pulled until it is), and <c>imported</c>, the OpenSLO document's history.
/// </summary>
public sealed record DataSourceAnswer(
    string Name, string Type, string Origin, string Url, Dictionary<string, string> Headers, IReadOnlyList<string> SecretHeaders,
    TimeSpan QueryTimeout, string Auth, string? MissingSecret, DataSourceImport? Imported)
{
    public static DataSourceAnswer Of(DataSourceCatalog.Entry e) => new(
        e.Name, DataSourceRules.Prometheus, e.Origin, Shown(e.Source.Url!),
        e.Source.Headers.Where(h => !DataSourceRules.IsSecretHeader(h.Key)).OrderBy(h => h.Key, StringComparer.Ordinal).ToDictionary(),
        e.Source.Headers.Keys.Where(DataSourceRules.IsSecretHeader).Order(StringComparer.Ordinal).ToList(),
        e.Source.QueryTimeout, EnumText.Name(e.Auth), e.MissingSecret,
        e.Imported is { } d ? new DataSourceImport(d.Version, d.Defined, d.Changed, e.Origin == DataSourceCatalog.OpenSlo) : null);

    /// <summary>The source as an OpenSLO DataSource document: its secrets as references to configuration, secret headers left out.</summary>
    public DataSourceDefinition ToDefinition(DataSourceCatalog.Entry e) =>
        e.Origin == DataSourceCatalog.OpenSlo ? e.Imported!.Definition
        : new DataSourceDefinition(Name, Url, Headers, QueryTimeout, e.Auth);

    /// <summary>A configured URL without user information or a query, which may carry credentials.</summary>
    private static string Shown(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}"
            : url;
}

/// <summary>The Prometheus data sources: configured and imported (OpenSLO DataSource documents), by name; no secret.</summary>
public static class ListDataSourcesEndpoint
{
    [WolverineGet("/api/v1/datasources")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(IQuerySession session, ProjectionCache cache, IOptions<PrometheusOptions> prometheus, HttpContext http) =>
        Results.Ok((await DataSourceCatalog.Load(session, cache, prometheus.Value, http.RequestAborted)).All.Select(DataSourceAnswer.Of).ToList());
}

/// <summary>One Prometheus data source by name (<c>default</c>: the one an SLI that names none is pulled from); 404 when there is none.</summary>
public static class GetDataSourceEndpoint
{
    [WolverineGet("/api/v1/datasources/{name}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, IQuerySession session, ProjectionCache cache, IOptions<PrometheusOptions> prometheus, HttpContext http) =>
        (await DataSourceCatalog.Load(session, cache, prometheus.Value, http.RequestAborted)).Named(name) is { } entry
            ? Results.Ok(DataSourceAnswer.Of(entry))
            : Problems.NotFound($"No data source named '{name}'.");
}
