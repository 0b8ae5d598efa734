using System.Net;
using System.Text.Json;
using Marten;
using Sre.Domain.Toil;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Toil;

public class ToilTests(AppFixture fixture) : IntegrationContext(fixture)
{
    // The epoch is Friday 20 November 2026, 08:00 UTC; its week starts on Monday the 16th.
    private static readonly DateTimeOffset T = AppFixture.Epoch;
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);

    private static object Toil(int minutes, DateTimeOffset at, string taskKey = "tmp-dir-cleanup", string team = "payments",
        string category = "production interrupts", params string[] traits) =>
        new { team, who = "ana", category, taskKey, minutes, performedAt = at, traits, link = "https://tickets.example/OPS-1" };

    private async Task<HttpResponseMessage> Record(object toil) => await Client().Send(HttpMethod.Post, "/api/v1/toil", toil);

    private static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    [Fact]
    public async Task toil_is_recorded_once_and_a_week_over_half_the_teams_time_is_over_the_cap()
    {
        var team = await Client().Send(HttpMethod.Put, "/api/v1/teams/payments", new { engineers = 2, hoursPerWeek = 40, effectiveFrom = T.AddDays(-60) });
        Assert.Equal(HttpStatusCode.OK, team.StatusCode);

        var first = await Record(Toil(2500, Monday.AddDays(1)));
        var again = await Record(Toil(2500, Monday.AddDays(1)));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(HttpStatusCode.Created, (await Record(Toil(100, Monday.AddDays(2), category: "migrations"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Record(Toil(60, Monday.AddDays(-3)))).StatusCode);

        var report = await Get<JsonElement>($"/api/v1/teams/payments/toil?from={Q(Monday.AddDays(-7))}&to={Q(Monday.AddDays(7))}&bucket=week");
        var weeks = report.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal([60, 2600], weeks.Select(w => w.GetProperty("minutes").GetInt32()));
        Assert.Equal(4800, weeks[1].GetProperty("capacityMinutes").GetDouble(), 6);
        Assert.Equal(2600 / 4800.0, weeks[1].GetProperty("share").GetDouble(), 9);
        Assert.False(weeks[0].GetProperty("overCap").GetBoolean());
        Assert.True(weeks[1].GetProperty("overCap").GetBoolean());
        Assert.Equal(100, weeks[1].GetProperty("byCategory").GetProperty("migrations").GetInt32());
        Assert.Equal(4, await StoredEvents());
    }

    [Fact]
    public async Task a_past_week_is_judged_by_the_team_size_it_had_then()
    {
        await Client().Send(HttpMethod.Put, "/api/v1/teams/payments", new { engineers = 1, hoursPerWeek = 40, effectiveFrom = Monday.AddDays(-7) });
        await Client().Send(HttpMethod.Put, "/api/v1/teams/payments", new { engineers = 4, hoursPerWeek = 40, effectiveFrom = Monday });
        await Record(Toil(1500, Monday.AddDays(-5)));
        await Record(Toil(1500, Monday.AddDays(1)));

        var report = await Get<JsonElement>($"/api/v1/teams/payments/toil?from={Q(Monday.AddDays(-7))}&to={Q(Monday.AddDays(7))}");
        var over = report.GetProperty("buckets").EnumerateArray().Select(w => w.GetProperty("overCap").GetBoolean());
        Assert.Equal([true, false], over);
        Assert.Equal(2, (await Get<JsonElement>("/api/v1/teams/payments")).GetProperty("capacity").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":5}", "team")]
    [InlineData("{\"team\":\"sre\",\"category\":\"meetings\",\"taskKey\":\"k\",\"minutes\":5}", "category")]
    [InlineData("{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"a key with spaces\",\"minutes\":5}", "taskKey")]
    [InlineData("{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":0}", "minutes")]
    [InlineData("{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":99999999}", "minutes")]
    [InlineData("{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\"}", "minutes")]
    [InlineData("{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":5,\"traits\":[\"boring\"]}", "traits[0]")]
    [InlineData("{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":5,\"performedAt\":\"2031-01-01T00:00:00Z\"}", "performedAt")]
    [InlineData("{\"team\":\"sre\",\"category\":\"migrations\",\"taskKey\":\"k\",\"minutes\":5,\"link\":\"a\\u0000b\"}", "link")]
    public async Task invalid_toil_is_400_naming_the_field_and_stores_nothing(string json, string field)
    {
        var response = await Record(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await StoredEvents());
    }

    [Theory]
    [InlineData("/api/v1/teams/payments", "{\"engineers\":0,\"hoursPerWeek\":40}", "engineers")]
    [InlineData("/api/v1/teams/payments", "{\"engineers\":3,\"hoursPerWeek\":200}", "hoursPerWeek")]
    [InlineData("/api/v1/teams/bad%20name", "{\"engineers\":3,\"hoursPerWeek\":40}", "team")]
    public async Task an_invalid_team_is_400_naming_the_field(string url, string json, string field)
    {
        var response = await Client().Send(HttpMethod.Put, url, json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await StoredEvents());
    }

    [Theory]
    [InlineData("/api/v1/teams/payments/toil?bucket=day", "bucket")]
    [InlineData("/api/v1/teams/payments/toil?from=yesterday", "from")]
    [InlineData("/api/v1/toil/top?window=soon", "window")]
    [InlineData("/api/v1/toil/top?limit=0", "limit")]
    public async Task invalid_query_arguments_are_400_naming_them(string url, string field)
    {
        var response = await Client().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task the_top_task_keys_are_the_automation_candidates_best_first()
    {
        await Record(Toil(30, T.AddDays(-1), "cert-renewal", traits: "automatable"));
        await Record(Toil(90, T.AddDays(-2), "cert-renewal", team: "platform"));
        await Record(Toil(100, T.AddDays(-3), "restart-pods", traits: ["automatable", "manual"]));
        await Record(Toil(500, T.AddDays(-100), "ancient-task"));

        var top = (await Get<JsonElement>("/api/v1/toil/top?window=90d")).GetProperty("taskKeys").EnumerateArray().ToList();
        Assert.Equal(["cert-renewal", "restart-pods"], top.Select(t => t.GetProperty("taskKey").GetString()));
        Assert.Equal(0.25, top[0].GetProperty("automatableShare").GetDouble(), 9);
        Assert.Equal(2, top[0].GetProperty("occurrences").GetInt32());
        Assert.Equal(["payments", "platform"], top[0].GetProperty("teams").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, (await Get<JsonElement>("/api/v1/toil/top?window=90d&team=platform")).GetProperty("taskKeys").GetArrayLength());
    }

    [Fact]
    public async Task an_automation_shows_the_weekly_minutes_before_and_after_and_the_hours_saved()
    {
        var delivered = T.AddDays(-14);
        for (var week = 1; week <= 4; week++) await Record(Toil(120, delivered.AddDays(-7 * week + 1)));
        for (var week = 0; week < 2; week++) await Record(Toil(30, delivered.AddDays(7 * week + 1)));

        var created = await Client().Send(HttpMethod.Post, "/api/v1/toil/automations",
            new { taskKey = "tmp-dir-cleanup", deliveredAt = delivered, description = "cron job cleans /tmp", by = "ana" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var impact = await Get<JsonElement>($"{created.Headers.Location}/impact?baselineWeeks=4");
        Assert.Equal(120, impact.GetProperty("weeklyMinutesBefore").GetDouble(), 9);
        Assert.Equal(30, impact.GetProperty("weeklyMinutesAfter").GetDouble(), 9);
        Assert.Equal(3, impact.GetProperty("hoursSaved").GetDouble(), 9);
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync($"/api/v1/toil/automations/{Guid.NewGuid()}/impact")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client().Send(HttpMethod.Post, "/api/v1/toil/automations", new { description = "x" })).StatusCode);
    }

    [Fact]
    public async Task a_resolved_incident_is_production_interrupt_toil_of_the_team_owning_the_service()
    {
        var incident = await FiringAlert("fp-toil");
        Clock.Advance(TimeSpan.FromMinutes(4));
        await Command(incident.Id, "acknowledge", new { by = "ana" });
        Clock.Advance(TimeSpan.FromMinutes(42));
        await Command(incident.Id, "resolve", new { by = "ana" });

        ToilEntry? entry = null;
        await Repository.Eventually(async () =>
        {
            await using var session = Store.QuerySession();
            entry = await session.Query<ToilEntry>().FirstOrDefaultAsync(e => e.Link == incident.Id.ToString());
            return entry is not null;
        }, TimeSpan.FromSeconds(30), "the incident's toil is recorded");

        Assert.Equal(("payments", 42, ToilCategory.ProductionInterrupts, "test-admin:ana"), (entry!.Team, entry.Minutes, entry.Category, entry.Who));
        Assert.Equal("incident/HighErrorRate", entry.TaskKey);
    }
}
