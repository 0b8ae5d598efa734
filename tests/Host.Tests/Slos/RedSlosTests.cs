using System.Net;
using Sre.Domain.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

public class RedSlosTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static object Red(string threshold = "100ms") => new
    {
        by = "alice",
        errors = new { targetPercent = 99.5 },
        duration = new { threshold, targetPercent = 99.0 },
        rate = new { minPerMinute = 1000, maxDrop = 0.1, dropWindow = "10m" },
    };

    [Fact]
    public async Task one_call_creates_the_errors_duration_and_rate_slos_of_a_service()
    {
        var response = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/red-slos", Red());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = await Get<Slo>("/api/v1/slos/checkout-errors");
        var duration = await Get<Slo>("/api/v1/slos/checkout-duration");
        var rate = await Get<Slo>("/api/v1/slos/checkout-rate");
        Assert.Equal((SliKind.Availability, 0.995), (errors.Definition.Sli.Kind, errors.Definition.Target));
        Assert.Equal((SliKind.Latency, TimeSpan.FromMilliseconds(100), 0.99),
            (duration.Definition.Sli.Kind, duration.Definition.Sli.Threshold!.Value, duration.Definition.Target));
        Assert.Equal(new RateRule(1000, 0.1, TimeSpan.FromMinutes(10)), rate.Definition.Sli.Rate);
        Assert.All(new[] { errors, duration, rate }, s => Assert.Equal("checkout", s.Service));
    }

    [Fact]
    public async Task calling_again_changes_only_what_differs()
    {
        await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/red-slos", Red());
        var events = await StoredEvents();

        await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/red-slos", Red());
        Assert.Equal(events, await StoredEvents());
        await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/red-slos", Red("250ms"));
        Assert.Equal(events + 1, await StoredEvents());
    }

    [Fact]
    public async Task an_invalid_service_name_stores_nothing()
    {
        var response = await Client().Send(HttpMethod.Post, "/api/v1/services/Check_Out/red-slos", Red());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("service", out _));
        Assert.Equal(0, await StoredEvents());
    }
}
