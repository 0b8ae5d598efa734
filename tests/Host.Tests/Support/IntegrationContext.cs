using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sre.Domain.Incidents;

namespace Sre.Host.Tests.Support;

/// <summary>Base of the integration tests: data reset before each test, steps that read as sentences.</summary>
[Collection(IntegrationCollection.Name)]
public abstract class IntegrationContext(AppFixture fixture) : IAsyncLifetime
{
    protected IAlbaHost Host => fixture.Host;
    protected FakeTimeProvider Clock => fixture.Clock;
    protected IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new Sre.Domain.Time.PromDurationJsonConverter() },
    };

    public async Task InitializeAsync()
    {
        await Host.ResetAllMartenDataAsync();
        // The reset bypasses the commits that drop cache entries: start each test with nothing cached.
        Host.Services.GetRequiredService<Sre.Projections.Caching.ProjectionCache>().InvalidateAll();
        Host.Services.GetRequiredService<Sre.Host.Alertmanager.AlertIngestor>().Forget();
        Host.Services.GetRequiredService<Sre.Host.Operations.BusinessMetrics>().Forget();
        // Each test starts at the epoch: the clock is put back as a system's clock is adjusted, firing no timer (a test
        // itself only moves it forward).
        Clock.AdjustTime(AppFixture.Epoch);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected HttpClient Client()
    {
        var client = new HttpClient(new SettlingHandler(Host.Services) { InnerHandler = Host.Server.CreateHandler() })
        {
            BaseAddress = new Uri("http://localhost"),
        };
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestKeys.Admin);
        return client;
    }

    protected async Task<HttpResponseMessage> PostNotification(string body, string? token = Payloads.Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/alertmanager/webhook")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var client = Client();
        // The webhook is called with Alertmanager's own key (or none), never the admin key of the other tests.
        client.DefaultRequestHeaders.Authorization = token is null ? null : new("Bearer", token);
        return await client.SendAsync(request);
    }

    protected async Task<Incident> FiringAlert(params string[] fingerprints)
    {
        var response = await PostNotification(Payloads.Firing(fingerprints));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Incidents()).First();
    }

    protected async Task<HttpResponseMessage> Command(Guid incident, string verb, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{incident}/{verb}")
        {
            Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Client().SendAsync(request);
    }

    protected async Task<T> Get<T>(string url)
    {
        var response = await Client().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>An incident's alerts as the API shows them (GET /incidents/{id}).</summary>
    protected async Task<IReadOnlyList<IncidentAlert>> AlertsOf(Guid incident) =>
        (await Get<JsonElement>($"/api/v1/incidents/{incident}")).GetProperty("alerts").Deserialize<List<IncidentAlert>>(Json)!;

    /// <summary>The alerts in a command's answer (the incident with its alerts).</summary>
    protected static async Task<IReadOnlyList<IncidentAlert>> AlertsIn(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("alerts").Deserialize<List<IncidentAlert>>(Json)!;

    protected async Task<IReadOnlyList<Incident>> Incidents()
    {
        await using var session = Store.QuerySession();
        return await session.Query<Incident>().OrderByDescending(i => i.Opened.At).ToListAsync();
    }

    protected async Task<int> StoredEvents()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    protected static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
