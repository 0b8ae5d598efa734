using System.Security.Cryptography;
using System.Text;

namespace Sre.Host.Tests.Support;

/// <summary>The API keys the tests use, configured as the service expects them: names, hashes and scopes.</summary>
public static class TestKeys
{
    public const string Admin = "test-admin-key";
    public const string Reader = "test-reader-key";
    public const string Writer = "test-writer-key";
    public const string Ingester = "test-ingest-key";
    public const string Limited = "test-limited-key";
    public const int LimitedPerMinute = 3;

    private static readonly (string Name, string Key, string[] Scopes, int? PerMinute)[] Keys =
    [
        ("alertmanager-test", Payloads.Token, ["ingest"], null),
        ("test-admin", Admin, ["read", "write", "ingest", "admin"], null),
        ("test-reader", Reader, ["read"], null),
        ("test-writer", Writer, ["write"], null),
        ("test-ingester", Ingester, ["ingest"], null),
        ("test-limited", Limited, ["read", "ingest"], LimitedPerMinute),
    ];

    /// <summary>Environment variables that add the keys after the ones of appsettings.json.</summary>
    public static Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>();
        for (var i = 0; i < Keys.Length; i++)
        {
            var (name, key, scopes, perMinute) = Keys[i];
            var prefix = $"Auth__Keys__{10 + i}__";
            env[prefix + "Name"] = name;
            env[prefix + "Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            for (var s = 0; s < scopes.Length; s++) env[$"{prefix}Scopes__{s}"] = scopes[s];
            if (perMinute is { } n) env[prefix + "RequestsPerMinute"] = n.ToString();
        }
        return env;
    }
}
