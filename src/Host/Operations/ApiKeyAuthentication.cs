using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Sre.Host.Operations;

/// <summary>
/// The authorization policy of each scope, declared on each endpoint (<c>[Authorize(Policies.Read)]</c>): queries read;
/// incident commands, toil, automations and security or P0 releases let through the gate write; the webhook, SLI
/// data, deployments, backup reports and restore tests ingest; definitions, policies, overrides and team settings admin.
/// </summary>
public static class Policies
{
    private const string Prefix = "scope:";
    public const string Read = Prefix + Scopes.Read, Write = Prefix + Scopes.Write, Ingest = Prefix + Scopes.Ingest, Admin = Prefix + Scopes.Admin;

    public static string Of(string scope) => Prefix + scope;

    /// <summary>The scope a policy requires, or null for a policy that is not a scope's.</summary>
    public static string? ScopeOf(string? policy) =>
        policy is not null && policy.StartsWith(Prefix, StringComparison.Ordinal) ? policy[Prefix.Length..] : null;

    /// <summary>
    /// API keys as ASP.NET Core authentication, a policy per scope, and a fallback that still wants a known key for
    /// any route under /api/ that declares no policy. Health, metrics and the API documents need none.
    /// </summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddSreOptions<AuthOptions>("Auth");
        services.AddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<IOptions<AuthOptions>>().Value.Keys));
        services.AddSreRequestLimits();
        services.AddAuthentication(ApiKeyAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.Name, null);
        services.AddAuthorization(o =>
        {
            foreach (var scope in Scopes.All) o.AddPolicy(Of(scope), p => p.RequireClaim(Scopes.Claim, scope));
            o.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAssertion(c => c.User.Identity?.IsAuthenticated == true
                                       || c.Resource is not HttpContext http || !http.Request.Path.StartsWithSegments("/api"))
                .Build();
        });
        return services;
    }
}

/// <summary>
/// Authenticates the key a request presents (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>): its principal is the
/// key's name with its scopes. No key or an unknown one is challenged with 401 and <c>WWW-Authenticate: Bearer</c>; a
/// key without the endpoint's scope is forbidden with 403; both as problem details.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = keys.Find(Request, out var presented);
        var result = key is not null ? AuthenticateResult.Success(new AuthenticationTicket(ApiKeyStore.Principal(key, Name), Name))
            : presented ? AuthenticateResult.Fail("The API key is unknown.")
            : AuthenticateResult.NoResult();
        return Task.FromResult(result);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Unauthorized("A known API key is required: Authorization: Bearer <key>, or X-Api-Key.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var scopes = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => Policies.ScopeOf(a.Policy)).OfType<string>().Distinct().ToList() ?? [];
        return Problems.Forbidden($"The key '{Context.User.Identity?.Name}' lacks the scope '{string.Join("', '", scopes)}'.").ExecuteAsync(Context);
    }
}
