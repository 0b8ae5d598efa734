using System.Net;
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
    public async Task security_and_p0_changes_pass_and_are_recorded()
    {
        await CheckoutSpendsItsBudget();

        var gate = await Get<JsonElement>("/api/v1/services/checkout/release-gate?change=security&by=release-bot");
        var unknown = await Client().GetAsync("/api/v1/services/checkout/release-gate?change=feature");

        Assert.True(gate.GetProperty("allowed").GetBoolean());
        Assert.True(gate.GetProperty("frozen").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        await using var session = Store.QuerySession();
        var recorded = (await session.Events.FetchStreamAsync(ServiceReleases.IdFor("checkout"))).Single().Data;
        Assert.Equal(new ReleaseGateBypassed("checkout", "security", true, Clock.GetUtcNow(), "test-admin:release-bot"), recorded);
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
