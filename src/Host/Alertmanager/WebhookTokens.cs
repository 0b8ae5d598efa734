using System.Security.Cryptography;
using System.Text;

namespace Sre.Host.Alertmanager;

/// <summary>The bearer tokens Alertmanager may present (its http_config.authorization credentials).</summary>
public sealed class WebhookTokens(IConfiguration configuration)
{
    private readonly byte[][] _tokens = (configuration.GetSection("Alertmanager:Tokens").Get<string[]>() ?? [])
        .Where(t => !string.IsNullOrWhiteSpace(t))
        .Select(t => Encoding.UTF8.GetBytes(t))
        .ToArray();

    public bool Accepts(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        var accepted = false;
        // Compare with every token in constant time so the answer's timing tells nothing.
        foreach (var token in _tokens) accepted |= CryptographicOperations.FixedTimeEquals(presented, token);
        return accepted;
    }
}
