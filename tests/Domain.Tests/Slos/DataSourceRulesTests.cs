using Sre.Domain.Slos.Pull;

namespace Sre.Domain.Tests.Slos;

public class DataSourceRulesTests
{
    private const string Secret = "s3cr3t-token-value";
    private static readonly DateTimeOffset T = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static (DataSourceDefinition? Definition, Dictionary<string, string[]> Errors) Read(
        string name = "mimir", string? type = "Prometheus", string? url = "http://mimir:9009/prometheus/", Dictionary<string, string?>? headers = null,
        string? queryTimeout = null, string? bearerToken = null, string? username = null, string? password = null) =>
        DataSourceRules.Read(name, type, null, url, headers, queryTimeout, bearerToken, username, password);

    [Fact]
    public void a_prometheus_source_reads_its_url_headers_and_timeout()
    {
        var (definition, errors) = Read(type: "prometheus", headers: new() { ["X-Scope-OrgID"] = "tenant-a" }, queryTimeout: "45s");

        Assert.Empty(errors);
        Assert.Equal("http://mimir:9009/prometheus", definition!.Url);
        Assert.Equal(new Dictionary<string, string> { ["X-Scope-OrgID"] = "tenant-a" }, definition.Headers);
        Assert.Equal((TimeSpan.FromSeconds(45), DataSourceAuth.None), (definition.QueryTimeout, definition.Auth));
    }

    [Theory]
    [InlineData("Datadog", "spec.type")]
    [InlineData(null, "spec.type")]
    public void a_type_other_than_prometheus_is_refused_on_spec_type(string? type, string field) =>
        Assert.Equal([field], Read(type: type).Errors.Keys);

    [Theory]
    [InlineData(null)]
    [InlineData("prometheus:9090")]
    [InlineData("ftp://prometheus:9090")]
    [InlineData("/api/v1")]
    [InlineData("http://prometheus:9090/?tenant=a")]
    public void a_url_that_is_not_an_absolute_http_base_url_is_refused(string? url) =>
        Assert.Equal(["spec.connectionDetails.url"], Read(url: url).Errors.Keys);

    [Fact]
    public void credentials_in_the_url_are_refused_without_repeating_them()
    {
        var (definition, errors) = Read(url: $"https://sre:{Secret}@mimir:9009");

        Assert.Null(definition);
        var message = Assert.Single(errors["spec.connectionDetails.url"]);
        Assert.Contains("Prometheus:Sources:mimir:Password", message);
        Assert.DoesNotContain(Secret, message);
    }

    [Theory]
    [InlineData("bearerToken", "Prometheus:Sources:mimir:BearerToken")]
    [InlineData("password", "Prometheus:Sources:mimir:Password")]
    public void a_secret_in_the_clear_is_refused_and_the_error_says_where_it_goes(string field, string key)
    {
        var (definition, errors) = field == "bearerToken" ? Read(bearerToken: Secret) : Read(username: "sre", password: Secret);

        Assert.Null(definition);
        var message = Assert.Single(errors[$"spec.connectionDetails.{field}"]);
        Assert.Contains($"configuration {key}", message);
        Assert.Contains("${" + key + "}", message);
        Assert.DoesNotContain(Secret, message);
    }

    [Fact]
    public void a_reference_to_another_sources_secret_is_refused() =>
        Assert.Equal(["spec.connectionDetails.bearerToken"], Read(bearerToken: "${Prometheus:Sources:other:BearerToken}").Errors.Keys);

    [Fact]
    public void secrets_referred_to_in_configuration_give_the_kind_of_sign_in()
    {
        Assert.Equal(DataSourceAuth.Bearer, Read(bearerToken: "${Prometheus:Sources:mimir:BearerToken}").Definition!.Auth);
        var basic = Read(username: "sre", password: "${Prometheus:Sources:mimir:Password}").Definition!;
        Assert.Equal((DataSourceAuth.Basic, "sre"), (basic.Auth, basic.Username));
        // The default source's secrets are the section's own keys.
        Assert.Equal(DataSourceAuth.Bearer, Read(name: "default", bearerToken: "${Prometheus:BearerToken}").Definition!.Auth);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("authorization")]
    [InlineData("X-Api-Key")]
    [InlineData("X-Auth-Token")]
    public void a_header_that_carries_a_credential_is_refused(string header)
    {
        var errors = Read(headers: new() { [header] = $"Bearer {Secret}" }).Errors;

        var message = Assert.Single(errors[$"spec.connectionDetails.headers.{header}"]);
        Assert.Contains($"Prometheus:Sources:mimir:Headers:{header}", message);
        Assert.DoesNotContain(Secret, message);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("0s")]
    [InlineData("1h")]
    public void a_query_timeout_that_is_not_a_duration_of_1s_to_10m_is_refused(string timeout) =>
        Assert.Equal(["spec.connectionDetails.queryTimeout"], Read(queryTimeout: timeout).Errors.Keys);

    [Fact]
    public void the_same_definition_again_records_nothing_and_a_change_records_the_whole_new_one()
    {
        var first = Read(headers: new() { ["X-Scope-OrgID"] = "tenant-a", ["X-B"] = "b" }).Definition!;
        var source = DataSource.Create((DataSourceDefined)DataSourceDecisions.Upsert(null, first, "gitops", T).Single());
        // The same headers written in another order.
        var again = Read(headers: new() { ["X-B"] = "b", ["X-Scope-OrgID"] = "tenant-a" }).Definition!;
        var changed = again with { Url = "http://mimir-2:9009/prometheus" };

        Assert.Empty(DataSourceDecisions.Upsert(source, again, "gitops", T.AddMinutes(1)));
        var redefined = Assert.IsType<DataSourceRedefined>(Assert.Single(DataSourceDecisions.Upsert(source, changed, "alice", T.AddMinutes(2))));
        Assert.Equal("http://mimir-2:9009/prometheus", source.Apply(redefined).Definition.Url);
    }
}
