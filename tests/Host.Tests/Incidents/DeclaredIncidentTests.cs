using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Domain.Incidents;
using Sre.Host.Tests.Support;
using static Sre.Host.Tests.Support.Payloads;

namespace Sre.Host.Tests.Incidents;

/// <summary>
/// Declared incidents over HTTP (issue 23): an incident a person declares, the alert that comes late attached to it
/// (its own incident merged), detection time, and the budget events visible from both sides.
/// </summary>
public class DeclaredIncidentTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;
    private static readonly string Group = GroupKeyFor("HighErrorRate", "checkout");

    private async Task<HttpResponseMessage> Declare(object body) => await Client().PostAsJsonAsync("/api/v1/incidents", body, Json);

    private async Task<Guid> DeclareCheckoutOutage(DateTimeOffset impactStartedAt)
    {
        var response = await Declare(new
        {
            title = "Customers cannot pay", service = "checkout", severity = "page", labels = new { team = "payments" },
            slos = new[] { "checkout-availability" }, impactStartedAt, by = "alice",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/incidents/{id}", response.Headers.Location!.OriginalString);
        Assert.True(body.GetProperty("declared").GetBoolean());
        return id;
    }

    private async Task Notify(AlertSpec alert) =>
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Notification([alert]))).StatusCode);

    [Fact]
    public async Task a_declared_incident_takes_the_late_alert_its_group_and_the_groups_next_notifications()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(10));
        var declared = await DeclareCheckoutOutage(T.AddMinutes(5));

        // The alert comes 15 minutes after the declaration; Alertmanager's group opens an incident of its own.
        Clock.Advance(TimeSpan.FromMinutes(15));
        await Notify(new AlertSpec("late", StartsAt: T.AddMinutes(24)));
        var late = (await Incidents()).Single(i => !i.Declared);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var attach = await Command(declared, "alerts", new { groupKey = Group, by = "bob" });
        Assert.Equal(HttpStatusCode.OK, attach.StatusCode);
        var alert = Assert.Single(await AlertsIn(attach));
        Assert.Equal(("late", T.AddMinutes(25), declared), (alert.Fingerprint, alert.FirstNotifiedAt!.Value, alert.IncidentId));
        var merged = await Get<Incident>($"/api/v1/incidents/{late.Id}");
        Assert.Equal((IncidentStatus.Resolved, declared), (merged.Status, merged.MergedInto!.Value));

        // The group's next notifications come here: its alert resolves, another fires; the declared incident stays open.
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Notify(new AlertSpec("late", "resolved", StartsAt: T.AddMinutes(24), EndsAt: T.AddMinutes(34)));
        await Notify(new AlertSpec("second", StartsAt: T.AddMinutes(35)));
        var alerts = await AlertsOf(declared);
        Assert.Equal([("late", AlertStatus.Resolved), ("second", AlertStatus.Firing)], alerts.Select(a => (a.Fingerprint, a.Status)));
        Assert.Equal(2, (await Incidents()).Count);
        var incident = await Get<Incident>($"/api/v1/incidents/{declared}");
        Assert.Equal((IncidentStatus.Triggered, T.AddMinutes(25)), (incident.Status, incident.FirstAlertAt!.Value));

        var timeline = await Get<JsonElement>($"/api/v1/incidents/{declared}/timeline");
        Assert.Equal(["IncidentDeclared", "AlertGroupAttached", "AlertOccurrenceMoved", "AlertResolved", "AlertFired"],
            timeline.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.EndsWith(":alice", timeline[0].GetProperty("by").GetString());

        // Detection: from the impact's start (T+5m) to the first notification (T+25m); the merged incident counts as this one.
        var stats = await Get<JsonElement>("/api/v1/services/checkout/incident-stats");
        Assert.Equal(1, stats.GetProperty("incidents").GetInt32());
        var detection = stats.GetProperty("detection");
        Assert.Equal((1, 1, 0, 1200.0), (detection.GetProperty("declared").GetInt32(), detection.GetProperty("detected").GetInt32(),
            detection.GetProperty("notDetected").GetInt32(), detection.GetProperty("time").GetProperty("meanSeconds").GetDouble()));

        // The declared incident is a significant event: detected by the alerts attached to it, in the measures.
        var quality = await Get<JsonElement>("/api/v1/alert-quality?window=1d&service=checkout");
        var recall = quality.GetProperty("overall").GetProperty("recall");
        Assert.Equal((1, 1), (recall.GetProperty("declaredIncidents").GetProperty("events").GetInt32(),
            recall.GetProperty("declaredIncidents").GetProperty("detected").GetInt32()));
        var precision = quality.GetProperty("overall").GetProperty("precision");
        Assert.Equal((2, 2, 2), (precision.GetProperty("alerts").GetInt32(), precision.GetProperty("significant").GetInt32(),
            precision.GetProperty("evidence").GetProperty("declaredIncident").GetInt32()));
        Assert.Equal(1200.0, quality.GetProperty("overall").GetProperty("detectionSeconds").GetProperty("mean").GetDouble());
    }

    [Fact]
    public async Task a_budget_event_shows_its_alerts_and_incidents_and_the_incident_shows_its_budget_event()
    {
        await Client().DefineSlo(SloSteps.Availability());
        // Ten bad minutes, [T+60m, T+70m), spend 2.3% of the budget: one budget event. A customer reports it at T+65m.
        Clock.Advance(TimeSpan.FromMinutes(65));
        var declared = await DeclareCheckoutOutage(T.AddMinutes(60));
        Clock.Advance(TimeSpan.FromMinutes(55));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        await Client().Observe("checkout-availability", T.AddMinutes(60), 10, 1000, 100);
        await Client().Observe("checkout-availability", T.AddMinutes(70), 50, 1000, 0);

        var events = await Get<JsonElement>("/api/v1/slos/checkout-availability/budget-events");
        var e = Assert.Single(events.GetProperty("events").EnumerateArray());
        Assert.Equal((T.AddMinutes(60), T.AddMinutes(70)), (e.GetProperty("start").GetDateTimeOffset(), e.GetProperty("end").GetDateTimeOffset()));
        var incident = Assert.Single(e.GetProperty("incidents").EnumerateArray());
        Assert.Equal((declared, true), (incident.GetProperty("id").GetGuid(), incident.GetProperty("declared").GetBoolean()));
        Assert.Empty(e.GetProperty("alerts").EnumerateArray());

        var other = (await Get<JsonElement>($"/api/v1/incidents/{declared}")).GetProperty("budgetEvents");
        var seen = Assert.Single(other.EnumerateArray());
        Assert.Equal(("checkout-availability", T.AddMinutes(60), true),
            (seen.GetProperty("slo").GetString(), seen.GetProperty("start").GetDateTimeOffset(), seen.GetProperty("byIncident").GetBoolean()));
    }

    [Fact]
    public async Task bad_input_is_a_problem_naming_the_field_and_stores_nothing()
    {
        await Client().DefineSlo(SloSteps.Availability());
        var before = await StoredEvents();

        var missingResponse = await Declare(new { service = "checkout", severity = "page" });
        var missing = await Problem(missingResponse);
        Assert.True(missing.TryGetProperty("errors", out _), missing.ToString());
        Assert.True(missing.GetProperty("errors").TryGetProperty("title", out _));
        var unknownSlo = await Declare(new { title = "x", service = "checkout", severity = "page", slos = new[] { "checkout-availability", "nope" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownSlo.StatusCode);
        Assert.True((await Problem(unknownSlo)).GetProperty("errors").TryGetProperty("slos[1]", out _));
        var future = await Declare(new { title = "x", service = "checkout", severity = "page", impactStartedAt = T.AddHours(1) });
        Assert.True((await Problem(future)).GetProperty("errors").TryGetProperty("impactStartedAt", out _));
        Assert.Equal(before, await StoredEvents());

        var declared = await DeclareCheckoutOutage(T);
        Assert.Equal(HttpStatusCode.BadRequest, (await Command(declared, "alerts", new { groupKey = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Command(Guid.NewGuid(), "alerts", new { groupKey = Group })).StatusCode);
    }

    [Fact]
    public async Task an_open_alert_incident_that_began_before_the_impact_is_not_merged_and_a_resend_stores_nothing_new()
    {
        await Notify(new AlertSpec("early"));
        Clock.Advance(TimeSpan.FromMinutes(30));
        var id = Guid.NewGuid();
        var body = new { id, title = "Slow checkout", service = "checkout", severity = "ticket", impactStartedAt = T.AddMinutes(20) };
        Assert.Equal(HttpStatusCode.Created, (await Declare(body)).StatusCode);
        var events = await StoredEvents();
        Assert.Equal(HttpStatusCode.OK, (await Declare(body)).StatusCode);
        Assert.Equal(events, await StoredEvents());

        var refused = await Command(id, "alerts", new { groupKey = Group });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("resolve it first", (await Problem(refused)).GetProperty("detail").GetString());
        Assert.Equal(events, await StoredEvents());
    }
}
