using System.Net;
using System.Text.Json;
using Sre.Domain.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

public class SloDefinitionTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task defined_slo_reads_back_with_its_history()
    {
        await Client().DefineSlo(SloSteps.Availability());

        var slo = await Get<JsonElement>("/api/v1/slos/checkout-availability");

        Assert.Equal(0.999, slo.GetProperty("definition").GetProperty("target").GetDouble());
        Assert.Equal("30d", slo.GetProperty("definition").GetProperty("window").GetProperty("duration").GetString());
        Assert.Equal(1, slo.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task a_name_is_defined_once()
    {
        await Client().DefineSlo(SloSteps.Availability());
        var again = await Client().Send(HttpMethod.Post, "/api/v1/slos", SloSteps.Availability());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Theory]
    [InlineData("\"name\":\"Checkout_SLO\"", "name")]
    [InlineData("\"target\":1.5", "target")]
    [InlineData("\"window\":{\"kind\":\"calendar\",\"unit\":\"month\",\"timeZone\":\"Mars/Olympus\"}", "window.timeZone")]
    [InlineData("\"window\":{\"kind\":\"rolling\"}", "window.duration")]
    [InlineData("\"sli\":{\"kind\":\"latency\"}", "sli.threshold")]
    [InlineData("\"budgeting\":{\"method\":\"timeslices\"}", "budgeting.sliceLength")]
    [InlineData("\"alerting\":{\"conditions\":[{\"severity\":\"page\",\"longWindow\":\"5m\",\"shortWindow\":\"1h\",\"factor\":14.4}]}",
        "alerting.conditions[0].shortWindow")]
    public async Task invalid_definition_is_400_naming_the_field_and_stores_nothing(string field, string name)
    {
        var body = new Dictionary<string, JsonElement>(JsonSerializer.SerializeToElement(SloSteps.Availability()).EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value)));
        var edit = JsonDocument.Parse("{" + field + "}").RootElement.EnumerateObject().Single();
        body[edit.Name] = edit.Value;

        var response = await Client().Send(HttpMethod.Post, "/api/v1/slos", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(name, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task put_changes_apply_from_their_time_and_the_past_keeps_the_old_target()
    {
        await Client().DefineSlo(SloSteps.Availability(target: 0.999));
        Clock.Advance(TimeSpan.FromHours(1));
        await Client().Observe("checkout-availability", AppFixture.Epoch, 60, total: 1000, bad: 2);
        Clock.Advance(TimeSpan.FromHours(1));

        var put = await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability(target: 0.99));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var now = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");
        var before = await Get<JsonElement>($"/api/v1/slos/checkout-availability/status?at={Uri.EscapeDataString(AppFixture.Epoch.AddHours(1).ToString("O"))}");
        Assert.Equal(0.99, now.GetProperty("target").GetDouble());
        Assert.Equal(0.999, before.GetProperty("target").GetDouble());
        // 120 bad of 60,000: twice a 99.9% budget (60 allowed), a fifth of a 99% budget (600 allowed).
        Assert.Equal(-1.0, before.GetProperty("budget").GetProperty("remaining").GetDouble(), 9);
        Assert.Equal(0.8, now.GetProperty("budget").GetProperty("remaining").GetDouble(), 9);
        var timeline = (await Store.QuerySession().Events.FetchStreamAsync(SloIds.For("checkout-availability"))).Select(e => e.Data.GetType().Name);
        // Twice the budget spent raised the slow ticket (3d/6h at burn 2 > 1) and exhausted the budget; the new target cleared both.
        Assert.Equal(["SloDefined", "SliObserved", "BurnRateAlertRaised", "ErrorBudgetExhausted", "SloTargetChanged",
            "BurnRateAlertCleared", "ErrorBudgetRestored"], timeline);
    }

    [Fact]
    public async Task put_defines_a_missing_slo_and_an_unchanged_put_appends_nothing()
    {
        var created = await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability());
        var same = await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability());
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (created.StatusCode, same.StatusCode));
        Assert.Equal(1, await StoredEvents());
    }

    [Fact]
    public async Task retired_slo_keeps_its_history_takes_no_data_and_leaves_the_list()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Assert.Equal(HttpStatusCode.OK, (await Client().DeleteAsync("/api/v1/slos/checkout-availability?by=alice")).StatusCode);

        var observe = await Client().Send(HttpMethod.Post, "/api/v1/slos/checkout-availability/observations",
            new { slices = new[] { new { start = AppFixture.Epoch.AddMinutes(-1), end = AppFixture.Epoch, good = 1, total = 1 } } });
        var list = await Get<JsonElement>("/api/v1/slos");
        var slo = await Get<JsonElement>("/api/v1/slos/checkout-availability");

        Assert.Equal(HttpStatusCode.Conflict, observe.StatusCode);
        Assert.Equal(0, list.GetArrayLength());
        Assert.Equal("test-admin:alice", slo.GetProperty("retired").GetProperty("by").GetString());
    }
}
