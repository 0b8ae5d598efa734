using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

public class SloObservationTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    [Fact]
    public async Task slices_written_with_an_offset_are_stored_at_their_instant()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(2));
        var beijing = TimeSpan.FromHours(8);
        var slices = new[] { new { start = T.ToOffset(beijing), end = T.AddMinutes(1).ToOffset(beijing), good = 990, total = 1000 } };

        var response = await Client().Send(HttpMethod.Post, "/api/v1/slos/checkout-availability/observations", new { slices });
        var again = await Client().Send(HttpMethod.Post, "/api/v1/slos/checkout-availability/observations",
            new { slices = new[] { new { start = T, end = T.AddMinutes(1), good = 990, total = 1000 } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The same slice written in UTC is the same slice: a duplicate.
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        var status = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");
        Assert.Equal(1000, status.GetProperty("sli").GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task the_same_slice_sent_again_stores_nothing_new()
    {
        await Client().DefineSlo(SloSteps.Availability());
        var first = await Client().Observe("checkout-availability", T.AddMinutes(-10), 10, 100, 1);
        var events = await StoredEvents();

        var again = await Client().Observe("checkout-availability", T.AddMinutes(-10), 10, 100, 1);

        Assert.Equal((10, 0), (first.GetProperty("accepted").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 10), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        Assert.Equal(events, await StoredEvents());
    }

    [Theory]
    [InlineData("{\"start\":\"2026-11-20T07:00:00Z\",\"end\":\"2026-11-20T07:01:00Z\",\"good\":50,\"total\":10}", "slices[1].good")]
    [InlineData("{\"start\":\"2026-11-20T07:00:00Z\",\"end\":\"2026-11-20T07:01:00Z\",\"good\":-1,\"total\":10}", "slices[1].good")]
    [InlineData("{\"start\":\"2026-11-20T07:00:00Z\",\"end\":\"2026-11-20T07:01:00Z\",\"good\":1,\"total\":-10}", "slices[1].total")]
    [InlineData("{\"start\":\"2026-11-20T07:01:00Z\",\"end\":\"2026-11-20T07:01:00Z\",\"good\":1,\"total\":10}", "slices[1].end")]
    [InlineData("{\"start\":\"2026-11-20T05:00:00Z\",\"end\":\"2026-11-20T07:00:00Z\",\"good\":1,\"total\":10}", "slices[1].end")]
    [InlineData("{\"start\":\"2026-11-20T08:30:00Z\",\"end\":\"2026-11-20T08:31:00Z\",\"good\":1,\"total\":10}", "slices[1].end")]
    [InlineData("{\"start\":\"2026-11-20T07:00:00Z\",\"end\":\"2026-11-20T07:01:00Z\",\"total\":10}", "slices[1].good")]
    public async Task an_invalid_slice_rejects_the_whole_batch(string secondSlice, string field)
    {
        // The first slice is fine, the second is not: nothing of the batch is stored.
        await Client().DefineSlo(SloSteps.Availability());
        var events = await StoredEvents();
        var body = $"{{\"slices\":[{{\"start\":\"2026-11-20T07:58:00Z\",\"end\":\"2026-11-20T07:59:00Z\",\"good\":1,\"total\":1}},{secondSlice}]}}";

        var response = await Client().Send(HttpMethod.Post, "/api/v1/slos/checkout-availability/observations", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(events, await StoredEvents());
    }

    [Fact]
    public async Task a_collector_batch_feeds_many_slos_and_names_an_unknown_one()
    {
        await Client().DefineSlo(SloSteps.Availability("checkout-availability"));
        await Client().DefineSlo(SloSteps.Availability("search-availability", service: "search"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        var good = new[]
        {
            new { slo = "checkout-availability", start = T, end = T.AddMinutes(1), good = 99L, total = 100L },
            new { slo = "search-availability", start = T, end = T.AddMinutes(1), good = 50L, total = 100L },
        };
        var ok = await Client().Send(HttpMethod.Post, "/api/v1/observations", new { observations = good });
        var bad = await Client().Send(HttpMethod.Post, "/api/v1/observations",
            new { observations = new[] { new { slo = "nope", start = T.AddMinutes(-1), end = T, good = 1L, total = 1L } } });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await Problem(bad)).GetProperty("errors").TryGetProperty("observations[0].slo", out _));
        var search = await Get<JsonElement>("/api/v1/slos/search-availability/status");
        Assert.Equal(0.5, search.GetProperty("sli").GetProperty("ratio").GetDouble());
    }

    [Fact]
    public async Task late_data_changes_the_numbers_from_then_on()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(30));
        await Client().Observe("checkout-availability", T, 30, 1000, 0);
        Clock.Advance(TimeSpan.FromMinutes(30));
        var beforeLate = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        // The collector catches up with the half hour it missed, all errors.
        await Client().Observe("checkout-availability", T.AddMinutes(30), 30, 1000, 10);

        var then = await Get<JsonElement>($"/api/v1/slos/checkout-availability/status?at={Uri.EscapeDataString(beforeLate.ToString("O"))}");
        var now = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");

        Assert.Equal(1.0, then.GetProperty("budget").GetProperty("remaining").GetDouble());
        Assert.Equal(30_000, then.GetProperty("sli").GetProperty("total").GetDouble());
        Assert.Equal(60_000, now.GetProperty("sli").GetProperty("total").GetDouble());
        Assert.True(now.GetProperty("budget").GetProperty("remaining").GetDouble() < 1);
    }

    [Fact]
    public async Task rate_slo_takes_total_alone()
    {
        await Client().DefineSlo(new
        {
            name = "checkout-rate", service = "checkout", by = "alice", targetPercent = 99.0,
            sli = new { kind = "rate", rate = new { minPerMinute = 1000, maxDrop = 0.1, dropWindow = "10m" } },
            window = new { kind = "rolling", duration = "30d" },
        });
        Clock.Advance(TimeSpan.FromMinutes(3));
        var slices = Enumerable.Range(0, 3).Select(i => new { start = T.AddMinutes(i), end = T.AddMinutes(i + 1), total = i == 2 ? 10 : 2000 });

        var response = await Client().Send(HttpMethod.Post, "/api/v1/slos/checkout-rate/observations", new { slices });
        var status = await Get<JsonElement>("/api/v1/slos/checkout-rate/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((2.0, 3.0), (status.GetProperty("sli").GetProperty("good").GetDouble(), status.GetProperty("sli").GetProperty("total").GetDouble()));
    }
}
