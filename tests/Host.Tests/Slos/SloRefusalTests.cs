using System.Net;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

/// <summary>A retired SLO takes no new definition from any of the writes that define SLOs: 409, and nothing is stored.</summary>
public class SloRefusalTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task Refused(HttpResponseMessage response, string detail, int events)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(detail, (await Problem(response)).GetProperty("detail").GetString());
        Assert.Equal(events, await StoredEvents());
    }

    [Fact]
    public async Task retiring_an_slo_never_defined_is_404_naming_it()
    {
        var response = await Client().DeleteAsync("/api/v1/slos/nothing?by=alice");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No SLO named 'nothing'.", (await Problem(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task a_retired_slo_refuses_a_new_definition_and_a_second_retirement()
    {
        await Client().DefineSlo(SloSteps.Availability());
        await Client().DeleteAsync("/api/v1/slos/checkout-availability?by=alice");
        var events = await StoredEvents();

        await Refused(await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability(target: 0.99)),
            "The SLO 'checkout-availability' is retired.", events);
        await Refused(await Client().DeleteAsync("/api/v1/slos/checkout-availability?by=alice"),
            "The SLO 'checkout-availability' is already retired.", events);
    }

    [Fact]
    public async Task a_retired_slo_refuses_the_red_preset_and_a_backup_policy()
    {
        var red = (string threshold) => Client().Send(HttpMethod.Post, "/api/v1/services/checkout/red-slos", new
        {
            errors = new { targetPercent = 99.5 }, duration = new { threshold, targetPercent = 99.0 }, rate = new { minPerMinute = 1000 },
        });
        var policy = (string schedule) => Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a",
            new { kind = "velero", schedule, rpo = "25h", slos = new { freshness = 0.99 } });
        Assert.Equal(HttpStatusCode.OK, (await red("100ms")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await policy("0 7 * * *")).StatusCode);
        await Client().DeleteAsync("/api/v1/slos/checkout-duration?by=alice");
        await Client().DeleteAsync("/api/v1/slos/cluster-a-backup-freshness?by=alice");
        var events = await StoredEvents();

        await Refused(await red("250ms"), "The SLO 'checkout-duration' is retired.", events);
        await Refused(await policy("0 8 * * *"), "cluster-a-backup-freshness: The SLO 'cluster-a-backup-freshness' is retired.", events);
    }
}
