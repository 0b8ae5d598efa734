using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sre.Host.Operations;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

public class SecurityTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private HttpClient As(string? key)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = key is null ? null : new("Bearer", key);
        return client;
    }

    /// <summary>
    /// The scope of every API route, written here and nowhere else the service reads: a route that loses its policy
    /// answers a key without the scope, and a route added without a row here is not in the table; both fail.
    /// </summary>
    private static readonly Dictionary<(string Method, string Route), string> Table = new()
    {
        [("GET", "/api/v1/alert-rules/quality")] = Scopes.Read,
        [("GET", "/api/v1/alert-quality")] = Scopes.Read,
        [("POST", "/api/v1/incidents")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/alerts")] = Scopes.Write,
        [("GET", "/api/v1/slos/{name}/budget-events")] = Scopes.Read,
        [("GET", "/api/v1/backups")] = Scopes.Read,
        [("GET", "/api/v1/backups/policies/{target}")] = Scopes.Read,
        [("GET", "/api/v1/backups/{target}/status")] = Scopes.Read,
        [("GET", "/api/v1/datasources")] = Scopes.Read,
        [("GET", "/api/v1/datasources/{name}")] = Scopes.Read,
        [("GET", "/api/v1/datasources/{name}/openslo")] = Scopes.Read,
        [("GET", "/api/v1/incidents")] = Scopes.Read,
        [("GET", "/api/v1/incidents/{id}")] = Scopes.Read,
        [("GET", "/api/v1/incidents/{id}/timeline")] = Scopes.Read,
        [("GET", "/api/v1/ops/cache")] = Scopes.Read,
        [("GET", "/api/v1/ops/cluster")] = Scopes.Read,
        [("GET", "/api/v1/services/{service}/deployments/{id}/impact")] = Scopes.Read,
        [("GET", "/api/v1/services/{service}/incident-stats")] = Scopes.Read,
        [("GET", "/api/v1/services/{service}/release-gate")] = Scopes.Read,
        [("GET", "/api/v1/slos")] = Scopes.Read,
        [("GET", "/api/v1/slos/{name}")] = Scopes.Read,
        [("GET", "/api/v1/slos/{name}/budget-history")] = Scopes.Read,
        [("GET", "/api/v1/slos/{name}/openslo")] = Scopes.Read,
        [("GET", "/api/v1/openslo")] = Scopes.Read,
        [("GET", "/api/v1/slos/{name}/objectives")] = Scopes.Read,
        [("GET", "/api/v1/slos/{name}/prometheus-rules")] = Scopes.Read,
        [("GET", "/api/v1/slos/{name}/status")] = Scopes.Read,
        [("GET", "/api/v1/teams/{team}")] = Scopes.Read,
        // A query with a structured body: POST, and it stores nothing.
        [("POST", "/api/v1/slos/{name}/alerting-backtest")] = Scopes.Read,
        [("GET", "/api/v1/teams/{team}/toil")] = Scopes.Read,
        [("GET", "/api/v1/toil/automations/{id}")] = Scopes.Read,
        [("GET", "/api/v1/toil/automations/{id}/impact")] = Scopes.Read,
        [("GET", "/api/v1/toil/top")] = Scopes.Read,

        [("POST", "/api/v1/incidents/{id}/acknowledge")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/close")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/commander")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/mitigate")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/notes")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/postmortem")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/reopen")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/resolve")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/severity")] = Scopes.Write,
        [("POST", "/api/v1/incidents/{id}/triage")] = Scopes.Write,
        [("POST", "/api/v1/services/{service}/release-gate/bypasses")] = Scopes.Write,
        [("POST", "/api/v1/toil")] = Scopes.Write,
        [("POST", "/api/v1/toil/automations")] = Scopes.Write,

        [("POST", "/api/v1/alertmanager/webhook")] = Scopes.Ingest,
        [("POST", "/api/v1/backups/reports")] = Scopes.Ingest,
        [("POST", "/api/v1/backups/restore-tests")] = Scopes.Ingest,
        [("POST", "/api/v1/observations")] = Scopes.Ingest,
        [("POST", "/api/v1/services/{service}/deployments")] = Scopes.Ingest,
        [("POST", "/api/v1/slos/{name}/observations")] = Scopes.Ingest,

        [("DELETE", "/api/v1/slos/{name}")] = Scopes.Admin,
        [("POST", "/api/v1/services/{service}/red-slos")] = Scopes.Admin,
        [("POST", "/api/v1/services/{service}/release-gate/overrides")] = Scopes.Admin,
        [("POST", "/api/v1/slos")] = Scopes.Admin,
        [("POST", "/api/v1/slos/openslo")] = Scopes.Admin,
        [("PUT", "/api/v1/backups/policies/{target}")] = Scopes.Admin,
        [("PUT", "/api/v1/slos/{name}")] = Scopes.Admin,
        [("PUT", "/api/v1/teams/{team}")] = Scopes.Admin,
    };

    /// <summary>Every endpoint the service maps, with the scope the table gives it (null: no row).</summary>
    private IEnumerable<(string Method, string Url, string? Scope)> Endpoints() =>
        MappedEndpoints.Api(Host.Services).Select(e => (e.Method, MappedEndpoints.Url(e.Pattern), Table.GetValueOrDefault((e.Method, e.Pattern))));

    /// <summary>The scope the endpoint's own policy names (its Authorize metadata).</summary>
    private string? Declared(string method, string route) =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText == route && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(method) == true)
            .SelectMany(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>())
            .Select(a => Policies.ScopeOf(a.Policy)).SingleOrDefault(s => s is not null);

    private static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task every_route_of_the_service_and_of_its_openapi_document_has_a_row_in_the_table()
    {
        var mapped = MappedEndpoints.Api(Host.Services).Select(e => (e.Method, e.Pattern)).ToHashSet();
        using var document = JsonDocument.Parse(await As(null).GetStringAsync("/openapi/v1.json"));
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/"))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (m.Name.ToUpperInvariant(), p.Name)))
            .ToHashSet();

        Assert.Empty(mapped.Except(Table.Keys));
        Assert.Empty(documented.Except(Table.Keys));
        Assert.Empty(Table.Keys.Except(mapped));
    }

    [Fact]
    public async Task every_endpoint_needs_a_key_with_its_scope()
    {
        var endpoints = Endpoints().ToList();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        Assert.Contains(endpoints, e => e.Scope == Scopes.Admin);
        Assert.Contains(endpoints, e => e.Scope == Scopes.Write);
        Assert.Contains(endpoints, e => e.Scope == Scopes.Ingest);

        foreach (var (method, url, scope) in endpoints)
        {
            Assert.True(scope is not null, $"{method} {url} has no row in the table");
            var wrongKey = scope == Scopes.Read ? TestKeys.Ingester : TestKeys.Reader;
            var rightKey = scope switch { Scopes.Read => TestKeys.Reader, Scopes.Write => TestKeys.Writer, Scopes.Ingest => TestKeys.Ingester, _ => TestKeys.Admin };

            var none = await As(null).SendAsync(Request(method, url));
            var unknown = await As("no-such-key").SendAsync(Request(method, url));
            var wrong = await As(wrongKey).SendAsync(Request(method, url));
            var right = await As(rightKey).SendAsync(Request(method, url));

            Assert.True(none.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url} without a key: {(int)none.StatusCode}");
            Assert.True(unknown.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url} with an unknown key: {(int)unknown.StatusCode}");
            Assert.True(wrong.StatusCode == HttpStatusCode.Forbidden, $"{method} {url} without the scope {scope}: {(int)wrong.StatusCode}");
            Assert.True(right.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{method} {url} with the scope {scope}: {(int)right.StatusCode}");
        }
    }

    [Fact]
    public async Task a_release_through_the_gate_needs_write_and_reading_the_gate_only_read_whatever_it_asks()
    {
        const string bypasses = "/api/v1/services/checkout/release-gate/bypasses";
        Assert.Equal(Scopes.Write, Declared("POST", "/api/v1/services/{service}/release-gate/bypasses"));
        Assert.Equal(Scopes.Read, Declared("GET", "/api/v1/services/{service}/release-gate"));

        var reader = await As(TestKeys.Reader).Send(HttpMethod.Post, bypasses, new { change = "security" });
        var writer = await As(TestKeys.Writer).Send(HttpMethod.Post, bypasses, new { change = "security", by = "release-bot" });
        // With the read scope alone, asking the gate about a change is answered (refused as a read), never 403.
        var asking = await As(TestKeys.Reader).GetAsync("/api/v1/services/checkout/release-gate?change=security");

        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        Assert.Equal(HttpStatusCode.Created, writer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, asking.StatusCode);
        Assert.Equal(1, await StoredEvents());
    }

    [Fact]
    public async Task health_needs_no_key_and_a_401_is_problem_details_with_a_challenge()
    {
        Assert.Equal(HttpStatusCode.OK, (await As(null).GetAsync("/health/live")).StatusCode);
        var refused = await As(null).GetAsync("/api/v1/incidents");
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(401, (await Problem(refused)).GetProperty("status").GetInt32());
        var byHeader = new HttpRequestMessage(HttpMethod.Get, "/api/v1/incidents") { Headers = { { "X-Api-Key", TestKeys.Reader } } };
        Assert.Equal(HttpStatusCode.OK, (await As(null).SendAsync(byHeader)).StatusCode);
    }

    [Fact]
    public async Task the_actor_is_the_key_and_the_user_it_names()
    {
        var incident = await FiringAlert("fp-actor");
        await Command(incident.Id, "acknowledge", new { by = "alice" });
        await Command(incident.Id, "notes", new { text = "looking" });
        var current = (await Incidents()).Single();
        Assert.Equal("test-admin:alice", current.Acknowledged!.By);
        Assert.Equal("test-admin", current.Notes.Single().By);
        Assert.Equal("alertmanager-test", current.Opened.By);
    }

    [Fact]
    public async Task a_body_over_the_limit_is_413_and_stores_nothing()
    {
        var huge = "{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":5,\"who\":\"" + new string('x', 1_100_000) + "\"}";
        var sized = await Client().PostAsync("/api/v1/toil", new StringContent(huge, Encoding.UTF8, "application/json"));
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        var streamed = await Client().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/toil") { Content = chunked, Headers = { TransferEncodingChunked = true } });

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge), (sized.StatusCode, streamed.StatusCode));
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task a_key_over_its_rate_is_429_with_retry_after_but_the_webhook_never_is()
    {
        var limited = As(TestKeys.Limited);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i <= TestKeys.LimitedPerMinute; i++) answers.Add(await limited.GetAsync("/api/v1/incidents"));

        Assert.All(answers.Take(TestKeys.LimitedPerMinute), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1].StatusCode);
        Assert.True(answers[^1].Headers.RetryAfter?.Delta > TimeSpan.Zero);

        for (var i = 0; i < 2 * TestKeys.LimitedPerMinute; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/alertmanager/webhook")
            {
                Content = new StringContent(Payloads.Firing($"fp-{i}"), Encoding.UTF8, "application/json"),
            };
            Assert.Equal(HttpStatusCode.OK, (await limited.SendAsync(request)).StatusCode);
        }
    }
}
