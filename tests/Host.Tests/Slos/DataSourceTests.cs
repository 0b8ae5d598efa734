using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Slos.Prometheus;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

/// <summary>
/// OpenSLO DataSource documents: imported with the SLOs that name them, pulled from (a real Prometheus of their own),
/// listed and exported beside the configured sources, and never a secret in an answer, an export or the log.
/// </summary>
public class DataSourceTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;
    private readonly CapturedLogs _logs = fixture.Logs;

    private const string Reference = "${Prometheus:Sources:imported:BearerToken}";

    private static string DataSource(string url, string tenant = "tenant-a") => $$"""
        apiVersion: openslo/v1
        kind: DataSource
        metadata:
          name: imported
        spec:
          type: Prometheus
          connectionDetails:
            url: {{url}}
            headers:
              X-Scope-OrgID: {{tenant}}
            queryTimeout: 20s
            bearerToken: {{Reference}}
        """;

    private const string Slo = """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: orders-availability
        spec:
          service: orders
          indicator:
            metadata:
              name: orders-availability-sli
            spec:
              ratioMetric:
                counter: true
                bad:
                  metricSource:
                    metricSourceRef: imported
                    type: Prometheus
                    spec:
                      query: sum(rate(http_requests_total{service="orders",code=~"5.."}[{{.window}}]))
                total:
                  metricSource:
                    metricSourceRef: imported
                    type: Prometheus
                    spec:
                      query: sum(rate(http_requests_total{service="orders"}[{{.window}}]))
          timeWindow:
            - duration: 1d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - target: 0.99
        """;

    /// <summary>From T-1h to T, a sample every 15 s: 10 requests/s answered 200 and 1/s answered 500.</summary>
    private static IEnumerable<PrometheusWithHistory.Sample> History()
    {
        for (var i = 0; i <= 240; i++)
        {
            var at = T.AddHours(-1).AddSeconds(15 * i);
            yield return new("http_requests_total{service=\"orders\",code=\"200\"}", 150.0 * i, at);
            yield return new("http_requests_total{service=\"orders\",code=\"500\"}", 15.0 * i, at);
        }
    }

    private async Task<HttpResponseMessage> Import(params string[] documents) =>
        await Client().PostAsync("/api/v1/slos/openslo?by=gitops",
            new StringContent(string.Join("\n---\n", documents), Encoding.UTF8, "application/yaml"));

    private Task PullAll() => Host.Settled(() => Host.Services.GetRequiredService<SliPuller>().SweepAll(CancellationToken.None));

    private async Task<List<SliceObservation>> Pulled(string slo)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(SloIds.For(slo))).Select(e => e.Data).OfType<SliObserved>().SelectMany(o => o.Slices).ToList();
    }

    private async Task<JsonElement> SourceOf(string slo) => (await Get<JsonElement>($"/api/v1/slos/{slo}/status")).GetProperty("source");

    [Fact]
    public async Task an_slo_naming_a_data_source_not_imported_yet_is_pulled_once_it_is()
    {
        await using var prometheus = await PrometheusWithHistory.Start(History());
        using var http = new HttpClient();
        await prometheus.Ready(http);
        // Through OpenSLO, a reference to a DataSource that is nowhere is refused; the JSON API takes the name and waits for it.
        var refused = await Import(Slo);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("no DataSource named 'imported'", await refused.Content.ReadAsStringAsync());
        await Client().DefineSlo(new
        {
            name = "orders-availability", service = "orders", target = 0.99, window = new { kind = "rolling", duration = "1d" },
            sli = new
            {
                kind = "availability", dataSource = "imported",
                badQuery = "sum(rate(http_requests_total{service=\"orders\",code=~\"5..\"}[{{.window}}]))",
                totalQuery = "sum(rate(http_requests_total{service=\"orders\"}[{{.window}}]))",
            },
        });
        Clock.SetUtcNow(T.AddMinutes(10));

        await PullAll();

        Assert.Empty(await Pulled("orders-availability"));
        var waiting = await SourceOf("orders-availability");
        Assert.Equal(("push", "imported"), (waiting.GetProperty("kind").GetString(), waiting.GetProperty("dataSource").GetString()));
        Assert.Contains("No data source named 'imported'", waiting.GetProperty("unresolved").GetString());
        // It names its source: it waits for it, and takes no pushed slice meanwhile (they would count beside the pulled ones).
        var early = await Client().Send(HttpMethod.Post, "/api/v1/slos/orders-availability/observations",
            new { slices = new[] { new { start = T.AddMinutes(-2), end = T.AddMinutes(-1), good = 1, total = 1 } } });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("cannot be pulled from yet", (await Problem(early)).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Import(DataSource(prometheus.Url))).StatusCode);
        await PullAll();

        // One slice a minute from T-59m to T, each with the samples' 600 requests of which 60 failed.
        var slices = await Pulled("orders-availability");
        Assert.Equal(Enumerable.Range(1, 60).Select(i => T.AddHours(-1).AddMinutes(i)), slices.Select(s => s.End).Order());
        Assert.All(slices, s => Assert.Equal((660L, 600L), (s.Total, s.Good)));
        var source = await SourceOf("orders-availability");
        Assert.Equal(("prometheus", "imported"), (source.GetProperty("kind").GetString(), source.GetProperty("dataSource").GetString()));
        // Pulled now: a push is refused, naming the source.
        var push = await Client().Send(HttpMethod.Post, "/api/v1/slos/orders-availability/observations",
            new { slices = new[] { new { start = T, end = T.AddMinutes(1), good = 1, total = 1 } } });
        Assert.Equal(HttpStatusCode.Conflict, push.StatusCode);
        Assert.Contains("'imported'", (await Problem(push)).GetProperty("detail").GetString());
        // The imported source's requests are in the log, its token (from configuration) is not.
        Assert.Contains(_logs.Lines, l => l.Contains(new Uri(prometheus.Url).Authority));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(AppFixture.ImportedToken));
    }

    [Fact]
    public async Task a_data_source_and_the_slo_that_names_it_import_in_one_file_in_either_order()
    {
        await using var prometheus = await PrometheusWithHistory.Start(History());
        using var http = new HttpClient();
        await prometheus.Ready(http);

        var response = await Import(Slo, DataSource(prometheus.Url));
        Clock.SetUtcNow(T.AddMinutes(10));
        await PullAll();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Contains(outcome, o => o.TryGetProperty("kind", out var kind) && kind.GetString() == "DataSource" && o.GetProperty("created").GetBoolean());
        Assert.Equal(60, (await Pulled("orders-availability")).Count);
    }

    [Fact]
    public async Task import_again_stores_nothing_and_a_change_is_recorded()
    {
        await Import(DataSource("http://mimir:9009/prometheus"));
        var stored = await StoredEvents();

        var again = await Import(DataSource("http://mimir:9009/prometheus"));
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single().GetProperty("changes").GetInt32());
        // The document is kept as it came, and the source it defines redefined.
        Assert.Equal(stored, await StoredEvents());

        Clock.Advance(TimeSpan.FromMinutes(1));
        var changed = await Import(DataSource("http://mimir:9009/prometheus", tenant: "tenant-b"));

        var entry = (await changed.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single();
        Assert.Equal(["OpenSloDocumentStored", "DataSourceRedefined"], entry.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        await using var session = Store.QuerySession();
        var events = (await session.Events.FetchStreamAsync(DataSourceIds.For("imported"))).Select(e => e.Data).ToList();
        Assert.Collection(events, e => Assert.IsType<DataSourceDefined>(e), e => Assert.Equal("tenant-b", Assert.IsType<DataSourceRedefined>(e).Definition.Headers["X-Scope-OrgID"]));
        var listed = await Get<JsonElement>("/api/v1/datasources/imported");
        Assert.Equal("tenant-b", listed.GetProperty("headers").GetProperty("X-Scope-OrgID").GetString());
        Assert.Equal(2, listed.GetProperty("imported").GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("type: Datadog\n  connectionDetails:\n    url: http://prometheus:9090", "documents[1].spec.indicator.spec.ratioMetric.bad.metricSource.type", "Datadog")]
    [InlineData("type: Prometheus\n  connectionDetails:\n    queryTimeout: 30s", "documents[0].spec.connectionDetails.url", null)]
    [InlineData("type: Prometheus\n  connectionDetails:\n    url: http://prometheus:9090\n    bearerToken: clear-text-secret-42", "documents[0].spec.connectionDetails.bearerToken", "Prometheus:Sources:imported:BearerToken")]
    [InlineData("type: Prometheus\n  connectionDetails:\n    url: http://prometheus:9090\n    username: sre\n    password: clear-text-secret-42", "documents[0].spec.connectionDetails.password", "Prometheus:Sources:imported:Password")]
    [InlineData("type: Prometheus\n  connectionDetails:\n    url: http://prometheus:9090\n    headers:\n      Authorization: Bearer clear-text-secret-42", "documents[0].spec.connectionDetails.headers.Authorization", "Prometheus:Sources:imported:Headers:Authorization")]
    [InlineData("type: Prometheus\n  connectionDetails:\n    url: https://sre:clear-text-secret-42@prometheus:9090", "documents[0].spec.connectionDetails.url", "Prometheus:Sources:imported:Password")]
    public async Task a_data_source_that_cannot_be_pulled_from_or_holds_a_secret_is_refused_and_nothing_is_stored(string spec, string field, string? said)
    {
        var response = await Import($"apiVersion: openslo/v1\nkind: DataSource\nmetadata:\n  name: imported\nspec:\n  {spec}\n", Slo);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        if (said is not null) Assert.Contains(said, message);
        Assert.DoesNotContain("clear-text-secret-42", body);
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task the_list_and_the_export_show_every_source_and_never_a_secret()
    {
        await Import(DataSource("http://mimir:9009/prometheus"));

        var response = await Client().GetAsync("/api/v1/datasources");
        var list = await response.Content.ReadAsStringAsync();
        var sources = JsonDocument.Parse(list).RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);

        Assert.Equal(["history", "imported", "short"], sources.Keys.Order());
        var history = sources["history"];
        Assert.Equal(("configuration", "none"), (history.GetProperty("origin").GetString(), history.GetProperty("auth").GetString()));
        Assert.Equal(["Authorization"], history.GetProperty("secretHeaders").EnumerateArray().Select(h => h.GetString()));
        var imported = sources["imported"];
        Assert.Equal(("openslo", "bearer", "20s"),
            (imported.GetProperty("origin").GetString(), imported.GetProperty("auth").GetString(), imported.GetProperty("queryTimeout").GetString()));
        Assert.Equal(JsonValueKind.Null, imported.GetProperty("missingSecret").ValueKind);
        Assert.Equal("tenant-a", imported.GetProperty("headers").GetProperty("X-Scope-OrgID").GetString());

        var export = await (await Client().GetAsync("/api/v1/datasources/imported/openslo")).Content.ReadAsStringAsync();
        var configuredExport = await (await Client().GetAsync("/api/v1/datasources/history/openslo")).Content.ReadAsStringAsync();
        Assert.Contains(Reference, export);
        Assert.Contains("X-Scope-OrgID: tenant-a", export);
        Assert.Contains("kind: DataSource", configuredExport);
        Assert.DoesNotContain("Authorization", configuredExport);
        foreach (var text in new[] { list, export, configuredExport, string.Join('\n', _logs.Lines) })
        {
            Assert.DoesNotContain(AppFixture.ImportedToken, text);
            Assert.DoesNotContain(AppFixture.HistoryAuthorization, text);
        }

        // The export imports back to the same data source: nothing changes.
        var stored = await StoredEvents();
        Assert.Equal(HttpStatusCode.OK, (await Import(export)).StatusCode);
        Assert.Equal(stored, await StoredEvents());
    }

    [Fact]
    public async Task the_readme_example_imports_and_lists_the_secret_it_still_needs()
    {
        var response = await Import(await File.ReadAllTextAsync(Repository.PathOf("docs/examples/datasource.yaml")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mimir = await Get<JsonElement>("/api/v1/datasources/mimir");
        Assert.Equal(("openslo", "bearer", "Prometheus:Sources:mimir:BearerToken"),
            (mimir.GetProperty("origin").GetString(), mimir.GetProperty("auth").GetString(), mimir.GetProperty("missingSecret").GetString()));
        Assert.Contains("Prometheus:Sources:mimir:BearerToken", (await SourceOf("search-errors")).GetProperty("unresolved").GetString());
    }

    [Theory]
    [InlineData("/api/v1/datasources/nope")]
    [InlineData("/api/v1/datasources/nope/openslo")]
    public async Task an_unknown_data_source_is_not_found(string url)
    {
        var response = await Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nope'", (await Problem(response)).GetProperty("detail").GetString());
    }
}
