using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Caching;

/// <summary>Read your writes through the cache, after every kind of write, and values that slide with the clock.</summary>
public class CachedReadsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private async Task<JsonElement> Status() => await Get<JsonElement>("/api/v1/slos/checkout-availability/status");

    [Fact]
    public async Task slo_reads_see_observations_definition_changes_and_retirement_at_once()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await Status()).GetProperty("noData").GetBoolean());
        var listed = await Get<JsonElement>("/api/v1/slos");

        await Client().Observe("checkout-availability", T, 10, 1000, 1);
        Assert.Equal(10_000, (await Status()).GetProperty("sli").GetProperty("total").GetDouble());

        await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability(target: 0.99));
        Assert.Equal(0.99, (await Status()).GetProperty("target").GetDouble());
        Assert.Equal(0.99, (await Get<JsonElement>("/api/v1/slos/checkout-availability")).GetProperty("definition").GetProperty("target").GetDouble());

        await Client().DeleteAsync("/api/v1/slos/checkout-availability?by=alice");
        Assert.Equal(1, listed.GetArrayLength());
        Assert.Equal(0, (await Get<JsonElement>("/api/v1/slos")).GetArrayLength());
    }

    [Fact]
    public async Task incident_reads_see_commands_and_notifications_at_once()
    {
        var id = (await FiringAlert("fp1")).Id;
        Assert.Equal("triggered", (await Get<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("status").GetString());
        var stats = await Get<JsonElement>("/api/v1/services/checkout/incident-stats");

        await Command(id, "acknowledge", new { by = "alice" });
        Assert.Equal("acknowledged", (await Get<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("status").GetString());
        Assert.Equal(1, (await Get<JsonElement>("/api/v1/services/checkout/incident-stats")).GetProperty("timeToAcknowledge").GetProperty("count").GetInt32());

        await PostNotification(Payloads.Resolved("fp1"));
        Assert.Equal("resolved", (await Get<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("status").GetString());
        Assert.Equal(0, stats.GetProperty("timeToAcknowledge").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task the_release_gate_sees_budgets_and_overrides_at_once()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True((await Get<JsonElement>("/api/v1/services/checkout/release-gate")).GetProperty("allowed").GetBoolean());

        await Client().Observe("checkout-availability", T, 30, 1000, 5);
        Assert.False((await Get<JsonElement>("/api/v1/services/checkout/release-gate")).GetProperty("allowed").GetBoolean());

        await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/release-gate/overrides",
            new { by = "vp", reason = "hotfix", until = Clock.GetUtcNow().AddHours(1) });
        Assert.True((await Get<JsonElement>("/api/v1/services/checkout/release-gate")).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task status_slides_with_the_clock_without_new_data()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Client().Observe("checkout-availability", T, 5, 1000, 10);
        var before = await Status();
        var again = await Status();

        Clock.Advance(TimeSpan.FromMinutes(10)); // the five bad minutes leave the 5m window
        var after = await Status();

        string FiveMinutes(JsonElement s) => s.GetProperty("burnRates")[0].GetProperty("total").ToString();
        Assert.Equal(before.GetProperty("at").GetString(), again.GetProperty("at").GetString());
        Assert.Equal("5000", FiveMinutes(before));
        Assert.Equal("0", FiveMinutes(after));
        var stats = await Get<JsonElement>("/api/v1/ops/cache");
        Assert.True(stats.GetProperty("hits").GetInt64() >= 1);
    }

    [Fact]
    public async Task a_read_after_a_write_to_a_stream_whose_generation_the_cache_forgot_answers_the_write()
    {
        var id = (await FiringAlert("fp-old")).Id;
        Assert.Equal("triggered", (await Get<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("status").GetString());

        // More new streams than the 64 generations the tests' cache holds: the incident's is forgotten.
        for (var i = 0; i < 80; i++)
            Assert.Equal(System.Net.HttpStatusCode.OK, (await PostNotification(Payloads.Notification([new Payloads.AlertSpec($"fp-{i}", AlertName: $"Rule{i}")]))).StatusCode);
        var stats = await Get<JsonElement>("/api/v1/ops/cache");
        Assert.InRange(stats.GetProperty("generations").GetInt32(), 1, 64);
        Assert.True(stats.GetProperty("generationsForgotten").GetInt64() > 0);
        Assert.Equal("triggered", (await Get<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("status").GetString());

        await Command(id, "acknowledge", new { by = "alice" });

        Assert.Equal("acknowledged", (await Get<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("status").GetString());
    }
}
