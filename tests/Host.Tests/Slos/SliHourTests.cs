using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Host.Tests.Support;
using Sre.Projections.Slos;

namespace Sre.Host.Tests.Slos;

/// <summary>The hourly sums an Occurrences status reads: kept in the observation's transaction, rebuilt from the events alone.</summary>
public class SliHourTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private async Task<(long Good, long Total, int Hours)> HourSums()
    {
        await using var session = Store.QuerySession();
        var hours = await session.Query<SliHour>().Where(h => h.SloId == SloIds.For("checkout-availability")).ToListAsync();
        return (hours.Sum(h => h.Good), hours.Sum(h => h.Total), hours.Count);
    }

    [Fact]
    public async Task each_observation_is_summed_into_the_hour_it_ends_in_and_a_rebuild_gives_the_same_sums_and_status()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(3).Add(TimeSpan.FromMinutes(20)));
        await Client().Observe("checkout-availability", T, 150, 1000, 2);
        await Client().Observe("checkout-availability", T.AddMinutes(150), 45, 1000, 30);

        // 195 minutes end in 4 hours: (T, T+1h], ..., (T+3h, T+4h].
        Assert.Equal((195 * 1000L - 150 * 2 - 45 * 30, 195_000L, 4), await HourSums());
        var before = await Get<JsonElement>("/api/v1/slos/checkout-availability/status");

        using var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<SliSliceProjection>(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal((195 * 1000L - 150 * 2 - 45 * 30, 195_000L, 4), await HourSums());
        var after = await Get<JsonElement>($"/api/v1/slos/checkout-availability/status?at={Uri.EscapeDataString(Clock.GetUtcNow().ToString("O"))}");
        Assert.Equal(before.GetProperty("sli").GetRawText(), after.GetProperty("sli").GetRawText());
        Assert.Equal(before.GetProperty("burnRates").GetRawText(), after.GetProperty("burnRates").GetRawText());
    }

    [Fact]
    public async Task an_slo_shows_when_it_was_last_observed_and_its_stream_version()
    {
        await Client().DefineSlo(SloSteps.Availability());
        var defined = await Get<JsonElement>("/api/v1/slos/checkout-availability");
        Assert.Equal(JsonValueKind.Null, defined.GetProperty("lastObservationAt").ValueKind);

        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 30, 1000, 0);
        Clock.Advance(TimeSpan.FromMinutes(3));
        await Client().Observe("checkout-availability", T.AddMinutes(30), 30, 1000, 0);

        var observed = await Get<JsonElement>("/api/v1/slos/checkout-availability");
        Assert.Equal(Clock.GetUtcNow(), observed.GetProperty("lastObservationAt").GetDateTimeOffset());
        Assert.Equal(defined.GetProperty("version").GetInt64() + 2, observed.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task slices_being_committed_read_as_the_store_reads_them_once_committed()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(3).Add(TimeSpan.FromMinutes(20)));
        await Client().Observe("checkout-availability", T, 150, 1000, 2);
        var id = SloIds.For("checkout-availability");
        var now = Clock.GetUtcNow();
        var store = Host.Services.GetRequiredService<Sre.Host.Slos.SliceStore>();
        // The minutes ending in (T+2h30m, T+3h15m], 30 bad of 1,000 each, as a pull's transaction holds them.
        var uncommitted = Enumerable.Range(150, 45).Select(m => new RecordedSlice(T.AddMinutes(m), T.AddMinutes(m + 1), 970, 1000, now)).ToList();
        DateTimeOffset[] starts = [T.AddMinutes(-1), T.AddMinutes(17), T.AddHours(1), T.AddMinutes(160), T.AddMinutes(194), T.AddMinutes(195)];

        var reads = new Sre.Host.Slos.SlicesBeingCommitted(store, id, uncommitted);
        var sums = await reads.Sums(id, T, now, starts, CancellationToken.None);
        var slices = (await reads.Read(id, T.AddMinutes(100), now, CancellationToken.None)).OrderBy(s => s.End).ToList();

        await Client().Observe("checkout-availability", T.AddMinutes(150), 45, 1000, 30);
        Assert.Equal(await store.Sums(id, T, now, starts, CancellationToken.None), sums);
        Assert.Equal((await store.Read(id, T.AddMinutes(100), now, CancellationToken.None)).OrderBy(s => s.End), slices);
        Assert.Equal(new Tally(35 * 970, 35_000), sums[T.AddMinutes(160)]);
        Assert.Equal(new Tally(133 * 998 + 45 * 970, 178_000), sums[T.AddMinutes(17)]);
    }
}
