using System.Text.Json;
using CsCheck;
using Sre.Domain.Slos;

namespace Sre.Domain.Tests.Slos;

/// <summary>SliObserved's slices stored as columns: read back exactly, and events stored as objects still read.</summary>
public class SliceColumnsConverterTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    // Starts and lengths to the tick, in any order, overlapping or not; counts up to the largest a slice may hold.
    private static readonly Gen<SliceObservation> SliceGen =
        Gen.Select(Gen.Long[-10_000_000_000_000, 10_000_000_000_000], Gen.Long[1, 100_000_000_000], Gen.Long[0, ObservationRules.MaxEvents])
            .Select(t => new SliceObservation(T.AddTicks(t.Item1), T.AddTicks(t.Item1 + t.Item2), t.Item3 / 3, t.Item3));

    private static SliObserved RoundTrip(SliObserved e) => JsonSerializer.Deserialize<SliObserved>(JsonSerializer.Serialize(e))!;

    [Fact]
    public void any_slices_read_back_exactly_in_their_order() =>
        SliceGen.Array[0, 300].Sample(slices =>
        {
            var back = RoundTrip(new SliObserved(slices, T, "test"));
            Assert.Equal(slices, back.Slices);
            Assert.Equal((T, "test"), (back.At, back.By));
        });

    [Fact]
    public void minute_slices_are_written_as_whole_seconds_after_the_earliest_start()
    {
        var json = JsonSerializer.Serialize(new SliObserved(
            [new SliceObservation(T.AddMinutes(1), T.AddMinutes(2), 598, 600), new SliceObservation(T, T.AddMinutes(1).AddMilliseconds(500), 0, 1)], T, "prometheus"));
        Assert.Contains("""
            "Slices":{"From":"2026-11-01T00:00:00+00:00","Starts":[60,0],"Lengths":[60,60.5],"Good":[598,0],"Total":[600,1]}
            """, json);
    }

    [Fact]
    public void events_stored_with_one_object_per_slice_read_as_they_were_written()
    {
        var stored = """
            {"Slices":[{"Start":"2026-11-01T00:00:00+00:00","End":"2026-11-01T00:01:00+00:00","Good":598,"Total":600}],
             "At":"2026-11-01T00:02:00+00:00","By":"api"}
            """;
        var e = JsonSerializer.Deserialize<SliObserved>(stored)!;
        Assert.Equal([new SliceObservation(T, T.AddMinutes(1), 598, 600)], e.Slices);
    }

    [Theory]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Starts":[0,60],"Lengths":[60],"Good":[1,1],"Total":[1,1]},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"Starts":[0],"Lengths":[60],"Good":[1],"Total":[1]},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":"0 60","At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    public void columns_that_do_not_make_slices_are_refused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SliObserved>(json));
}
