using System.Text.RegularExpressions;
using Sre.Domain.Time;

namespace Sre.Domain.Slos.Pull;

/// <summary>
/// What an OpenSLO <c>DataSource</c> document may say, read into a <see cref="DataSourceDefinition"/>. A document holds
/// no secret: <c>bearerToken</c> and <c>password</c> may only be the reference to the source's own configuration key
/// (<see cref="Reference"/>, e.g. <c>${Prometheus:Sources:mimir:BearerToken}</c>), and a header that carries a credential
/// (<see cref="IsSecretHeader"/>), credentials in the URL or a query string are refused. Refusals never repeat the value.
/// Errors are keyed by the field's path under the document (<c>spec.connectionDetails.url</c>).
/// </summary>
public static partial class DataSourceRules
{
    /// <summary>The one type the service pulls from (Thanos, Mimir, Cortex and VictoriaMetrics speak its API too).</summary>
    public const string Prometheus = "Prometheus";

    public const string DefaultName = "default";

    private const string Details = "spec.connectionDetails";

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")]
    private static partial Regex HeaderName();

    /// <summary>The configuration key of a field of a source (<c>Url</c>, <c>BearerToken</c>, <c>Password</c>, <c>Headers:Authorization</c>): the section "Prometheus" for <c>default</c>.</summary>
    public static string ConfigurationKey(string name, string field) =>
        name == DefaultName ? $"Prometheus:{field}" : $"Prometheus:Sources:{name}:{field}";

    /// <summary>What a document writes instead of the secret: a reference to the source's own configuration key.</summary>
    public static string Reference(string name, string field) => "${" + ConfigurationKey(name, field) + "}";

    /// <summary>A header whose value is a credential: <c>Authorization</c>, <c>Proxy-Authorization</c>, <c>Cookie</c>, or a name with token, secret, password, key or auth in it.</summary>
    public static bool IsSecretHeader(string name)
    {
        var n = name.ToLowerInvariant();
        return n is "authorization" or "proxy-authorization" or "cookie"
               || new[] { "token", "secret", "password", "key", "auth" }.Any(n.Contains);
    }

    /// <summary>The definition the document's fields give, or the errors by field; never both.</summary>
    public static (DataSourceDefinition? Definition, Dictionary<string, string[]> Errors) Read(
        string name, string? type, string? description, string? url, IReadOnlyDictionary<string, string?>? headers, string? queryTimeout,
        string? bearerToken, string? username, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.CheckName("metadata.name", name, errors);
        if (string.IsNullOrWhiteSpace(type)) errors["spec.type"] = ["is required: Prometheus."];
        else if (!type.Equals(Prometheus, StringComparison.OrdinalIgnoreCase))
            errors["spec.type"] = [$"'{type}' is not supported: Prometheus (or anything with its HTTP API: Thanos, Mimir, Cortex)."];
        FieldRules.CheckText("spec.description", description, 1000, errors);
        CheckUrl(name, url, errors);
        var checkedHeaders = Headers(name, headers, errors);

        TimeSpan? timeout = null;
        if (queryTimeout is not null)
        {
            if (!PromDuration.TryParse(queryTimeout, out var t)) errors[$"{Details}.queryTimeout"] = [$"'{queryTimeout}' is not a duration such as 30s or 2m."];
            else if (t < TimeSpan.FromSeconds(1) || t > TimeSpan.FromMinutes(10)) errors[$"{Details}.queryTimeout"] = ["must be between 1s and 10m."];
            else timeout = t;
        }

        var auth = DataSourceAuth.None;
        if (bearerToken is not null && Secret(name, "bearerToken", "BearerToken", bearerToken, errors)) auth = DataSourceAuth.Bearer;
        if (password is not null && Secret(name, "password", "Password", password, errors))
        {
            if (auth == DataSourceAuth.Bearer) errors[$"{Details}.password"] = ["goes instead of bearerToken, not with it."];
            auth = DataSourceAuth.Basic;
        }
        FieldRules.CheckText($"{Details}.username", username, 200, errors);
        if (username is not null && password is null)
            errors[$"{Details}.username"] = [$"needs password: {Reference(name, "Password")}, with the password in that configuration key."];

        return errors.Count > 0
            ? (null, errors)
            : (new DataSourceDefinition(name, url!.TrimEnd('/'), checkedHeaders, timeout, auth, username, description), errors);
    }

    private static void CheckUrl(string name, string? url, Dictionary<string, string[]> errors)
    {
        var field = $"{Details}.url";
        if (string.IsNullOrWhiteSpace(url)) errors[field] = ["is required: the base URL of the Prometheus API, such as http://prometheus:9090."];
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > 2000)
            errors[field] = ["must be an absolute http or https URL, such as http://prometheus:9090."];
        else if (uri.UserInfo.Length > 0)
            errors[field] = [$"must not carry credentials (user:password@): a document holds no secret; put them in configuration {ConfigurationKey(name, "Username")} and {ConfigurationKey(name, "Password")}."];
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            errors[field] = ["must be the base URL, without a query or fragment (the service adds /api/v1/query_range and its parameters)."];
    }

    private static Dictionary<string, string> Headers(string name, IReadOnlyDictionary<string, string?>? headers, Dictionary<string, string[]> errors)
    {
        var valid = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (header, value) in headers ?? new Dictionary<string, string?>())
        {
            var field = $"{Details}.headers.{header}";
            if (!HeaderName().IsMatch(header)) errors[field] = ["is not a valid header name."];
            else if (IsSecretHeader(header))
                errors[field] = [$"carries a credential: a document holds no secret; put it in configuration {ConfigurationKey(name, "Headers:" + header)} (or use bearerToken: {Reference(name, "BearerToken")})."];
            else if (string.IsNullOrEmpty(value) || value.Length > 1000 || value.Any(char.IsControl)) errors[field] = ["must be 1 to 1000 characters, no control characters."];
            else if (!valid.TryAdd(header, value)) errors[field] = ["is given twice."];
        }
        // Stored in a stable order, so that the same document always stores the same definition.
        return valid.OrderBy(h => h.Key, StringComparer.Ordinal).ToDictionary(h => h.Key, h => h.Value);
    }

    /// <summary>True when the field is the reference to the source's own configuration key; otherwise an error that says where the secret goes.</summary>
    private static bool Secret(string name, string field, string key, string value, Dictionary<string, string[]> errors)
    {
        if (value == Reference(name, key)) return true;
        errors[$"{Details}.{field}"] = [$"a document holds no secret in the clear: put it in configuration {ConfigurationKey(name, key)} and write {Reference(name, key)} here."];
        return false;
    }
}
