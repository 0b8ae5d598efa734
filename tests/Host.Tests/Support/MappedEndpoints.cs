using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Sre.Host.Tests.Support;

/// <summary>The /api endpoints the service maps, as method and route pattern, and a URL that fills a pattern in.</summary>
public static partial class MappedEndpoints
{
    [GeneratedRegex(@"\{(\w+)[^}]*\}")]
    private static partial Regex Parameter();

    public static IReadOnlyList<(string Method, string Pattern)> Api(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/"))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, e.RoutePattern.RawText!)))
            .Distinct()
            .ToList();

    /// <summary>A new incident id for {id}, the given name for any other parameter.</summary>
    public static string Url(string pattern, string name = "x") =>
        Parameter().Replace(pattern, m => m.Groups[1].Value == "id" ? Guid.NewGuid().ToString() : name);
}
