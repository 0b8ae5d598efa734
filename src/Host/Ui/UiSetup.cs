using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.ResponseCompression;
using Sre.Host.Operations;

namespace Sre.Host.Ui;

/// <summary>
/// The web UI under <c>/ui</c>: Razor Pages rendered by the service (root folder <c>Ui/Pages</c>), htmx and uPlot vendored
/// in <c>wwwroot/ui/lib</c> and served by <c>MapStaticAssets</c> (fingerprinted, compressed), and a sign-in that turns an
/// API key into an HttpOnly, SameSite=Strict cookie carrying the key's name and scopes (ASP.NET Core cookie
/// authentication; the key itself never reaches the browser's JavaScript). Pages need the <c>read</c> scope, actions
/// <c>write</c>; every form carries an antiforgery token (Razor Pages validate it on every POST).
/// </summary>
public static class UiSetup
{
    /// <summary>The cookie scheme of the UI; the API keeps its keys (<see cref="ApiKeyAuthentication"/>).</summary>
    public const string Scheme = "SreUi";

    /// <summary>The policy of every page: a UI session whose key has the read scope.</summary>
    public const string ReadPolicy = "ui:read";

    public static IServiceCollection AddSreUi(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Ui/Pages";
            o.Conventions.AuthorizeFolder("/", ReadPolicy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.LoginPath = "/ui/signin";
            o.LogoutPath = "/ui/signout";
            o.AccessDeniedPath = "/ui/signin";
            o.Cookie.Name = "sre-ui";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToAccessDenied = c =>
            {
                // A key without the scope is refused, not sent round to sign in again.
                c.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToLogin = c =>
            {
                // htmx follows a redirect inside the fragment it swaps: tell it to load the sign-in page instead.
                // Back to the page it was on (HX-Current-URL), not to the URL of the fragment or action it asked for.
                if (c.Request.Headers.ContainsKey("HX-Request"))
                {
                    var back = Uri.TryCreate(c.Request.Headers["HX-Current-URL"], UriKind.Absolute, out var current) ? current.PathAndQuery : "/";
                    c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    c.Response.Headers["HX-Redirect"] = $"{c.Request.PathBase}/ui/signin?ReturnUrl={Uri.EscapeDataString(back)}";
                }
                else c.Response.Redirect(c.RedirectUri);
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = ValidateKeyStillConfigured;
        });
        services.AddAuthorization(o => o.AddPolicy(ReadPolicy, p => p
            .AddAuthenticationSchemes(Scheme)
            .RequireClaim(Scopes.Claim, Scopes.Read)));
        // The cookie is protected by ASP.NET Core data protection; its key ring lives in the event store's database so
        // that every replica reads every other's cookies (UiKeyRing).
        services.AddDataProtection().SetApplicationName("sre");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDocumentStore>((o, store) => o.XmlRepository = new UiKeyRing(store));
        services.ConfigureMarten(o => o.Schema.For<UiKeyRingEntry>());
        // The pages' HTML is compressed as the static assets are (a list of a thousand SLOs is mostly repeated markup).
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["text/html", "text/csv"];
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
        return services;
    }

    /// <summary>
    /// A session stands only as long as its key does: a key removed from the configuration ends its sessions, and a key
    /// whose scopes changed has its session's scopes changed with it.
    /// </summary>
    private static async Task ValidateKeyStillConfigured(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var key = name is null ? null : context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>().Named(name);
        if (key is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        var scopes = context.Principal!.FindAll(Scopes.Claim).Select(c => c.Value).Order().ToList();
        if (!scopes.SequenceEqual(key.Scopes.Select(s => s.ToLowerInvariant()).Order()))
        {
            context.ReplacePrincipal(ApiKeyStore.Principal(key, Scheme));
            context.ShouldRenew = true;
        }
    }

    /// <summary>The UI's routes: its assets, its pages, and <c>/</c> leading to it.</summary>
    public static void MapSreUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
        foreach (var entry in new[] { "/", "/ui" })
            app.MapGet(entry, (HttpContext http) => Results.Redirect($"{http.Request.PathBase}/ui/slos")).ExcludeFromDescription();
    }

    /// <summary>Whether the signed-in key may act (the write scope); pages leave out the actions it may not take.</summary>
    public static bool CanWrite(this ClaimsPrincipal user) => user.HasClaim(Scopes.Claim, Scopes.Write);
}
