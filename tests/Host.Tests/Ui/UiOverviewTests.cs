using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Ui;

/// <summary>The reliability overview shows the numbers the API's reports answer.</summary>
public sealed class UiOverviewTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task each_services_response_times_and_the_frozen_gates_are_the_apis()
    {
        await Client().ThreeSlosTwoHoursIn(Clock);
        var id = await Client().Declare("Checkout down", "checkout", "critical");
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True((await Command(id, "acknowledge", new { })).IsSuccessStatusCode);
        Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True((await Command(id, "resolve", new { })).IsSuccessStatusCode);
        var stats = await Get<JsonElement>("/api/v1/services/checkout/incident-stats");
        var ui = new UiSession(Host);
        await ui.SignIn(TestKeys.Reader);

        var page = await ui.Page("/ui/overview");

        var row = page.QuerySelectorAll("#responses tr[data-service=checkout] td[data-value]");
        Assert.Equal(stats.GetProperty("timeToAcknowledge").GetProperty("meanSeconds").GetDouble(), row[0].Value());
        Assert.Equal(stats.GetProperty("timeToResolve").GetProperty("meanSeconds").GetDouble(), row[2].Value());
        Assert.Equal(240, row[0].Value());
        Assert.Equal(["login"], page.QuerySelectorAll("#frozen li").Select(l => l.GetAttribute("data-service")));
        var gate = await Get<JsonElement>("/api/v1/services/login/release-gate");
        Assert.False(gate.GetProperty("allowed").GetBoolean());
    }
}
