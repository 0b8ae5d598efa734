using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Deployments;

public class DeploymentTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    [Fact]
    public async Task a_deployment_is_recorded_once_and_marks_the_budget_history()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(1));
        var body = new { version = "v7", by = "ci", deployedAt = T.AddMinutes(30), link = "https://ci.example/7" };
        var events = await StoredEvents();

        var first = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/deployments", body);
        var again = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/deployments", body);
        var history = await Get<JsonElement>($"/api/v1/slos/checkout-availability/budget-history?from={Uri.EscapeDataString(T.ToString("O"))}&step=30m");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(first.Headers.Location, new Uri($"/api/v1/services/checkout/deployments/{(await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id")}", UriKind.Relative));
        Assert.Equal("v7", history.GetProperty("deployments").EnumerateArray().Single().GetProperty("releaseVersion").GetString());
        Assert.Equal(events + 1, await StoredEvents());
    }

    [Theory]
    [InlineData("{\"version\":\"\",\"by\":\"ci\"}", "version")]
    [InlineData("{\"version\":\"v1\",\"by\":\"ci\",\"link\":\"not a url\"}", "link")]
    [InlineData("{\"version\":\"v1\",\"by\":\"ci\",\"deployedAt\":\"2030-01-01T00:00:00Z\"}", "deployedAt")]
    public async Task an_invalid_deployment_is_400_naming_the_field(string json, string field)
    {
        var response = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/deployments", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task impact_of_an_unknown_deployment_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync($"/api/v1/services/checkout/deployments/{Guid.NewGuid()}/impact")).StatusCode);
}
