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
    public void slices_on_a_grid_with_holes_in_any_order_read_back_exactly() =>
        Gen.Select(Gen.Int[0, 2000].Array[0, 200], Gen.Int[1, 3600], Gen.Bool).Sample(t =>
        {
            var (indexes, seconds, sorted) = t;
            var distinct = indexes.Distinct();
            var slices = (sorted ? distinct.Order() : distinct)
                .Select(i => new SliceObservation(T.AddSeconds(i * seconds), T.AddSeconds((i + 1) * seconds), i / 2, i)).ToList();
            Assert.Equal(slices, RoundTrip(new SliObserved(slices, T, "test")).Slices);
        });

    [Fact]
    public void slices_on_one_grid_are_written_as_runs_of_consecutive_slices()
    {
        SliceObservation Minute(int i, long good) => new(T.AddMinutes(i), T.AddMinutes(i + 1), good, 600);
        var json = JsonSerializer.Serialize(new SliObserved([Minute(0, 598), Minute(1, 600), Minute(5, 0)], T, "prometheus"));
        Assert.Contains("""
            "Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,2],[5,1]],"Good":"598 600 0","Total":"600 600 600"}
            """, json);
        Assert.Equal([Minute(0, 598), Minute(1, 600), Minute(5, 0)], JsonSerializer.Deserialize<SliObserved>(json)!.Slices);
    }

    [Fact]
    public void other_slices_are_written_with_their_own_start_and_length_in_seconds_after_the_earliest_start()
    {
        var json = JsonSerializer.Serialize(new SliObserved(
            [new SliceObservation(T.AddMinutes(1), T.AddMinutes(2), 598, 600), new SliceObservation(T, T.AddMinutes(1).AddMilliseconds(500), 0, 1)], T, "api"));
        Assert.Contains("""
            "Slices":{"From":"2026-11-01T00:00:00+00:00","Starts":[60,0],"Lengths":[60,60.5],"Good":"598 0","Total":"600 1"}
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

    [Fact]
    public void events_stored_with_the_counts_as_arrays_read_as_they_were_written()
    {
        var stored = """
            {"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,1],[5,1]],"Good":[598,0],"Total":[600,600]},
             "At":"2026-11-01T00:07:00+00:00","By":"prometheus"}
            """;
        Assert.Equal([new SliceObservation(T, T.AddMinutes(1), 598, 600), new SliceObservation(T.AddMinutes(5), T.AddMinutes(6), 0, 600)],
            JsonSerializer.Deserialize<SliObserved>(stored)!.Slices);
    }

    [Theory]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Starts":[0,60],"Lengths":[60],"Good":[1,1],"Total":[1,1]},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"Starts":[0],"Lengths":[60],"Good":[1],"Total":[1]},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":"0 60","At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,3]],"Good":[1,1],"Total":[1,1]},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,0]],"Good":[],"Total":[]},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,2]],"Good":"1  1","Total":"1 1"},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,2]],"Good":"1 1 ","Total":"1 1"},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,2]],"Good":"1,1","Total":"1 1"},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,2]],"Good":"1 x","Total":"1 1"},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    [InlineData("""{"Slices":{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,2]],"Good":"1 \u0031","Total":"1 1"},"At":"2026-11-01T00:02:00+00:00","By":"x"}""")]
    public void columns_that_do_not_make_slices_are_refused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SliObserved>(json));
}
