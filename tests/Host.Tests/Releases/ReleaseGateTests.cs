using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Domain.Releases;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Releases;

public class ReleaseGateTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private async Task CheckoutSpendsItsBudget()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(1));
        await Client().Observe("checkout-availability", T, 60, 1000, 2); // twice the 99.9% allowance
    }

    [Fact]
    public async Task gate_is_open_while_every_slo_has_budget()
    {
        await Client().DefineSlo(SloSteps.Availability());
        var gate = await Get<JsonElement>("/api/v1/services/checkout/release-gate");
        Assert.True(gate.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task gate_freezes_naming_the_slo_and_when_its_budget_comes_back()
    {
        await CheckoutSpendsItsBudget();

        var gate = await Get<JsonElement>("/api/v1/services/checkout/release-gate");
        var other = await Get<JsonElement>("/api/v1/services/search/release-gate");

        Assert.False(gate.GetProperty("allowed").GetBoolean());
        var slo = gate.GetProperty("exhaustedSlos")[0];
        Assert.Equal("checkout-availability", slo.GetProperty("slo").GetString());
        // A steady 0.2% error ratio against a 0.1% allowance: with no more events the budget is back only once
        // the whole hour has left the 30-day window.
        Assert.Equal(T.AddHours(1).AddDays(30), slo.GetProperty("budgetBackAt").GetDateTimeOffset());
        Assert.True(other.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task security_and_p0_releases_are_recorded_by_a_post_and_pass()
    {
        await CheckoutSpendsItsBudget();

        var security = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/release-gate/bypasses", new { change = "security", by = "release-bot" });
        var p0 = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/release-gate/bypasses", new { change = "p0" });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (security.StatusCode, p0.StatusCode));
        var decision = await security.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(decision.GetProperty("allowed").GetBoolean());
        Assert.True(decision.GetProperty("frozen").GetBoolean());
        Assert.Equal("security", decision.GetProperty("change").GetString());
        await using var session = Store.QuerySession();
        var recorded = (await session.Events.FetchStreamAsync(ServiceReleases.IdFor("checkout"))).Select(e => e.Data).ToList();
        Assert.Equal<object>(
            [new ReleaseGateBypassed("checkout", "security", true, Clock.GetUtcNow(), "test-admin:release-bot"),
             new ReleaseGateBypassed("checkout", "p0", true, Clock.GetUtcNow(), "test-admin")],
            recorded);
        Assert.Equal(2, (await session.LoadAsync<ServiceReleases>(ServiceReleases.IdFor("checkout")))!.Bypasses);
    }

    [Theory]
    [InlineData("{\"change\":\"feature\"}")]
    [InlineData("{\"change\":\"\"}")]
    [InlineData("{\"by\":\"release-bot\"}")]
    [InlineData("{}")]
    public async Task a_bypass_of_any_other_kind_is_400_naming_change_and_stores_nothing(string body)
    {
        var response = await Client().PostAsync("/api/v1/services/checkout/release-gate/bypasses",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("change", out _));
        Assert.Equal(0, await StoredEvents());
    }

    [Theory]
    [InlineData("?change=security&by=release-bot")]
    [InlineData("?change=p0")]
    [InlineData("?change=feature")]
    public async Task the_gate_read_with_a_change_is_refused_naming_change_and_records_nothing(string query)
    {
        await CheckoutSpendsItsBudget();
        var before = await StoredEvents();

        var response = await Client().GetAsync("/api/v1/services/checkout/release-gate" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Contains("release-gate/bypasses", problem.GetProperty("errors").GetProperty("change")[0].GetString());
        Assert.Equal(before, await StoredEvents());
        await using var session = Store.QuerySession();
        Assert.Empty(await session.Events.FetchStreamAsync(ServiceReleases.IdFor("checkout")));
    }

    [Fact]
    public async Task an_override_opens_the_gate_until_it_expires()
    {
        await CheckoutSpendsItsBudget();

        var created = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/release-gate/overrides",
            new { by = "vp-eng", reason = "Fix for the outage itself", until = Clock.GetUtcNow().AddHours(2) });
        var during = await Get<JsonElement>("/api/v1/services/checkout/release-gate");
        Clock.Advance(TimeSpan.FromHours(3));
        var after = await Get<JsonElement>("/api/v1/services/checkout/release-gate");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(during.GetProperty("allowed").GetBoolean());
        Assert.Equal("test-admin:vp-eng", during.GetProperty("override").GetProperty("by").GetString());
        Assert.False(after.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task override_in_the_past_is_400()
    {
        var response = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/release-gate/overrides",
            new { by = "vp-eng", reason = "x", until = Clock.GetUtcNow().AddHours(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredEvents());
    }
}
