using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

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
    /// <summary>The largest request body: Kestrel's <c>MaxRequestBodySize</c>.</summary>
    [Range(1L, int.MaxValue), Display(Name = "Auth:MaxBodyBytes")]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}

public static class Scopes
{
    public const string Read = "read", Write = "write", Ingest = "ingest", Admin = "admin";
    public static readonly string[] All = [Read, Write, Ingest, Admin];
    /// <summary>The claim of the principal that names each scope its key has.</summary>
    public const string Claim = "scope";
}

/// <summary>Finds the key a request presents (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>) by its hash.</summary>
public sealed class ApiKeyStore(IEnumerable<ApiKey> keys)
{
    private readonly (byte[] Hash, ApiKey Key)[] _keys = keys
        .Where(k => !string.IsNullOrWhiteSpace(k.Name) && k.Sha256.Length == 64)
        .Select(k => (Convert.FromHexString(k.Sha256), k))
        .ToArray();

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key the request presents, or null; <paramref name="presented"/> says whether it presented one.</summary>
    public ApiKey? Find(HttpRequest request, out bool presented)
    {
        var key = request.Headers["X-Api-Key"].FirstOrDefault();
        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (key is null && authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
            key = authorization["Bearer ".Length..].Trim();
        presented = !string.IsNullOrEmpty(key);
        return presented ? Find(key!) : null;
    }

    /// <summary>The key whose secret this is, or null (the sign-in of the web UI).</summary>
    public ApiKey? Find(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        ApiKey? found = null;
        // Every key is compared, in constant time, so the answer's timing tells nothing.
        foreach (var (candidate, k) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, candidate)) found = k;
        return found;
    }

    /// <summary>The configured key of this name, or null: a UI session's key may have been removed or its scopes changed since.</summary>
    public ApiKey? Named(string name) => _keys.Select(k => k.Key).FirstOrDefault(k => k.Name == name);

    /// <summary>The principal of a key: its name, and a <see cref="Scopes.Claim"/> per scope.</summary>
    public static ClaimsPrincipal Principal(ApiKey key, string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, key.Name), .. key.Scopes.Select(s => new Claim(Scopes.Claim, s.ToLowerInvariant()))], scheme));
}

/// <summary>Who did it: the authenticated principal's name (the key's), and the user the caller names (<c>by</c>) after a colon.</summary>
public static class Actor
{
    public static string Of(HttpContext http, string? user)
    {
        var key = http.User.FindFirst(ClaimTypes.Name)?.Value ?? "anonymous";
        return string.IsNullOrWhiteSpace(user) ? key : $"{key}:{user.Trim()}";
    }
}
