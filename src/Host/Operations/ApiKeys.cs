using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Sre.Host.Operations;

/// <summary>One API key: its name (the actor recorded on events), the SHA-256 of its secret, its scopes.</summary>
public sealed class ApiKey
{
    public string Name { get; set; } = "";
    /// <summary>Lower-case hex SHA-256 of the key (<c>printf %s "$KEY" | sha256sum</c>): the key itself is never configured.</summary>
    public string Sha256 { get; set; } = "";
    public List<string> Scopes { get; set; } = [];
    /// <summary>Requests a minute this key may make (null: <see cref="AuthOptions.RequestsPerMinute"/>).</summary>
    public int? RequestsPerMinute { get; set; }
}

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public List<ApiKey> Keys { get; set; } = [];
    [Range(1, int.MaxValue), Display(Name = "Auth:RequestsPerMinute")]
    public int RequestsPerMinute { get; set; } = 60_000;
    [Range(1L, long.MaxValue), Display(Name = "Auth:MaxBodyBytes")]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}

public static class ApiKeysSetup
{
    /// <summary>The configured keys, their scopes and their limits (<see cref="RequestLimits"/>).</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddSreOptions<AuthOptions>("Auth");
        services.AddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<IOptions<AuthOptions>>().Value.Keys));
        services.AddSreRequestLimits();
        return services;
    }
}

public static class Scopes
{
    public const string Read = "read", Write = "write", Ingest = "ingest", Admin = "admin";
    public static readonly string[] All = [Read, Write, Ingest, Admin];
}

/// <summary>Finds the key a request presents (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>) by its hash.</summary>
public sealed class ApiKeyStore(IEnumerable<ApiKey> keys)
{
    private readonly (byte[] Hash, ApiKey Key)[] _keys = keys
        .Where(k => !string.IsNullOrWhiteSpace(k.Name) && k.Sha256.Length == 64)
        .Select(k => (Convert.FromHexString(k.Sha256), k))
        .ToArray();

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public ApiKey? Find(HttpRequest request)
    {
        var presented = request.Headers["X-Api-Key"].FirstOrDefault();
        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (presented is null && authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
            presented = authorization["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(presented)) return null;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKey? found = null;
        // Every key is compared, in constant time, so the answer's timing tells nothing.
        foreach (var (candidate, key) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, candidate)) found = key;
        return found;
    }
}

/// <summary>
/// The scope each endpoint needs, in one place, from its method and route alone: queries read; incident commands,
/// toil, automations and security or P0 releases let through the gate write; the webhook, SLI data, deployments,
/// backup reports and restore tests ingest; definitions, policies, overrides and team settings admin. Health,
/// metrics and the API documents need no key.
/// </summary>
public static partial class EndpointScopes
{
    [GeneratedRegex(@"^/(health/|metrics$|openapi/|docs)")]
    private static partial Regex Anonymous();

    [GeneratedRegex(@"^/api/v1/(alertmanager/webhook|observations|slos/\{[^}]+\}/observations|services/\{[^}]+\}/deployments|backups/reports|backups/restore-tests)$")]
    private static partial Regex Ingest();

    [GeneratedRegex(@"^/api/v1/(incidents/\{[^}]+\}/[a-z-]+|toil|toil/automations|services/\{[^}]+\}/release-gate/bypasses)$")]
    private static partial Regex Write();

    /// <summary>The scope a request needs, or null for none.</summary>
    public static string? For(string method, string route)
    {
        route = "/" + route.TrimStart('/');
        if (Anonymous().IsMatch(route)) return null;
        // A safe method changes nothing, so reading is all it needs.
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) return Scopes.Read;
        if (Ingest().IsMatch(route)) return Scopes.Ingest;
        if (Write().IsMatch(route)) return Scopes.Write;
        return Scopes.Admin;
    }
}

/// <summary>Who did it: the key's name, and the user the caller names (<c>by</c>) after a colon.</summary>
public static class Actor
{
    public static string Of(HttpContext http, string? user)
    {
        var key = http.User.Identity?.Name ?? "anonymous";
        return string.IsNullOrWhiteSpace(user) ? key : $"{key}:{user.Trim()}";
    }
}

/// <summary>401 without a known key, 403 without the scope; otherwise the key becomes the request's user.</summary>
public sealed class ApiKeyGate(RequestDelegate next, ApiKeyStore keys)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var scope = route is null ? null : EndpointScopes.For(http.Request.Method, route);
        if (scope is null)
        {
            await next(http);
            return;
        }
        if (keys.Find(http.Request) is not { } key)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Unauthorized("A known API key is required: Authorization: Bearer <key>, or X-Api-Key.").ExecuteAsync(http);
            return;
        }
        if (!key.Scopes.Contains(scope, StringComparer.OrdinalIgnoreCase))
        {
            await Problems.Forbidden($"The key '{key.Name}' lacks the scope '{scope}'.").ExecuteAsync(http);
            return;
        }
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), .. key.Scopes.Select(s => new Claim("scope", s))], "ApiKey"));
        await next(http);
    }
}
