using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Slos.Prometheus;

namespace Sre.Host.Tests.Slos;

/// <summary>How a name is resolved: configuration first, then the imported documents, their secrets from configuration only.</summary>
public class DataSourceCatalogTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static DataSource Imported(string name, DataSourceAuth auth = DataSourceAuth.None, TimeSpan? timeout = null) => new()
    {
        Name = name,
        Definition = new DataSourceDefinition(name, $"http://{name}:9090", new() { ["X-Scope-OrgID"] = "tenant-a", ["X-Env"] = "prod" }, timeout, auth),
        Defined = new Stamp(T, "gitops"),
    };

    private static SliSpec Sli(string? source) => new(SliKind.Availability, GoodQuery: "good", TotalQuery: "total", DataSource: source);

    [Fact]
    public void an_imported_source_takes_its_secret_and_the_headers_of_configuration()
    {
        var options = new PrometheusOptions
        {
            Sources = { ["mimir"] = new PrometheusSource { BearerToken = "token", Headers = { ["X-Env"] = "staging" } } },
        };
        var catalog = new DataSourceCatalog(options, [Imported("mimir", DataSourceAuth.Bearer, TimeSpan.FromMinutes(5))]);

        var source = catalog.SourceNamed("mimir")!;
        Assert.Equal(("http://mimir:9090", "token"), (source.Url, source.BearerToken));
        Assert.Equal(("tenant-a", "staging"), (source.Headers["X-Scope-OrgID"], source.Headers["X-Env"]));
        // No longer than the HTTP client waits (Prometheus:QueryTimeout).
        Assert.Equal(options.QueryTimeout, source.QueryTimeout);
        Assert.Equal("mimir", catalog.Pulls(Sli("mimir")));
    }

    [Fact]
    public void an_imported_source_whose_secret_is_not_configured_is_not_pulled_and_says_which_key_is_missing()
    {
        var catalog = new DataSourceCatalog(new PrometheusOptions(), [Imported("mimir", DataSourceAuth.Basic)]);

        Assert.Null(catalog.Pulls(Sli("mimir")));
        Assert.Equal("Prometheus:Sources:mimir:Username", catalog.Named("mimir")!.MissingSecret);
        Assert.Contains("Prometheus:Sources:mimir:Username", catalog.Unresolved(Sli("mimir")));
    }

    [Fact]
    public void a_configured_url_wins_over_an_imported_document_of_the_same_name()
    {
        var options = new PrometheusOptions { Url = "http://configured:9090" };
        var catalog = new DataSourceCatalog(options, [Imported("default"), Imported("other")]);

        var entry = catalog.Named(null)!;
        Assert.Equal((DataSourceCatalog.Configuration, "http://configured:9090"), (entry.Origin, entry.Source.Url));
        Assert.NotNull(entry.Imported);
        Assert.Equal("default", catalog.Pulls(Sli(null)));
        Assert.Equal("http://other:9090", catalog.SourceNamed("other")!.Url);
    }

    [Fact]
    public void an_sli_naming_no_known_source_is_not_pulled_and_its_status_says_why()
    {
        var catalog = new DataSourceCatalog(new PrometheusOptions(), []);

        Assert.True(catalog.IsEmpty);
        Assert.Null(catalog.Pulls(Sli("later")));
        Assert.Contains("No data source named 'later'", catalog.Unresolved(Sli("later")));
        // An SLI that names none waits for no one: it is pushed.
        Assert.Null(catalog.Unresolved(Sli(null)));
    }
}
