using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Host.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Incidents;

public class IncidentSloTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    /// <summary>An hour of clean traffic, then an incident during which 300 of 30,000 requests fail.</summary>
    private async Task<Guid> IncidentThatBurnsCheckout()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(1));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        var id = (await FiringAlert("fp1")).Id;
        Clock.Advance(TimeSpan.FromMinutes(30));
        await Client().Observe("checkout-availability", T.AddHours(1), 30, 1000, 10);
        await Command(id, "resolve", new { by = "alice" });
        return id;
    }

    [Fact]
    public async Task incident_shows_the_budget_each_linked_slo_spent()
    {
        var id = await IncidentThatBurnsCheckout();

        var incident = await Get<JsonElement>($"/api/v1/incidents/{id}");

        var spend = incident.GetProperty("sloBudgets").EnumerateArray().Single();
        Assert.Equal("checkout-availability", spend.GetProperty("slo").GetString());
        // 300 bad against an allowance of 0.1% of 90,000 requests.
        Assert.Equal(300 / 90.0, spend.GetProperty("budgetSpent").GetDouble(), 9);
    }

    [Fact]
    public async Task incident_that_spent_over_20_percent_needs_a_postmortem_to_close()
    {
        var id = await IncidentThatBurnsCheckout();
        await Command(id, "severity", new { by = "alice", severity = "ticket" });

        var refused = await Command(id, "close", new { by = "alice" });
        await Host.Settled(() => Host.Services.GetRequiredService<SloSweep>().SweepAll(CancellationToken.None));
        var incident = await Get<JsonElement>($"/api/v1/incidents/{id}");
        await Command(id, "postmortem", new { by = "alice", link = "https://wiki.example/pm/7", summary = "Bad deploy" });
        var closed = await Command(id, "close", new { by = "alice" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("checkout-availability", (await Problem(refused)).GetProperty("detail").GetString());
        Assert.Contains("checkout-availability", incident.GetProperty("postmortemRequiredFor").GetString());
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }
}
