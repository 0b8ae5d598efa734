using CsCheck;
using Sre.Domain.Slos;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos;

public class HourlyRollupTests
{
    private static IReadOnlyList<HourTally> Hours(IEnumerable<RecordedSlice> slices) =>
        slices.GroupBy(s => HourlyRollup.HourOf(s.End))
            .Select(g => g.Aggregate((HourTally?)null, (h, s) => HourlyRollup.Add(h, new SliceObservation(s.Start, s.End, s.Good, s.Total), s.RecordedAt))!)
            .ToList();

    /// <summary>
    /// What the store hands over, as PostgreSQL computes it: the clean whole hours summed by how many window starts
    /// precede them (width_bucket), the hours that are not clean, and only the slices in the spans to read.
    /// </summary>
    private static Tally ViaHours(IReadOnlyList<RecordedSlice> all, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, DateTimeOffset from)
    {
        var sorted = starts.Distinct().Order().ToList();
        var hours = Hours(all).Where(h => h.Hour >= HourlyRollup.Floor(sorted[0]) && h.Hour < at).ToList();
        var buckets = hours.Where(h => HourlyRollup.Clean(h, definedAt, at) && h.Hour + HourlyRollup.Length <= at)
            .GroupBy(h => sorted.Count(t => t <= h.Hour))
            .ToDictionary(g => g.Key, g => new Tally(g.Sum(h => h.Good), g.Sum(h => h.Total)));
        var unclean = hours.Where(h => !HourlyRollup.Clean(h, definedAt, at)).Select(h => h.Hour).ToHashSet();
        var spans = HourlyRollup.SlicesToRead(unclean, at, sorted);
        var read = all.Where(s => Inside(spans, s)).ToList();
        return HourlyRollup.Over(from, HourlyRollup.SumsFrom(sorted, buckets)[from], unclean, read, definedAt, at);
    }

    private static bool Inside(IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> spans, RecordedSlice s) =>
        spans.Any(r => s.End > r.From && s.End <= r.To);

    private static Tally Directly(IEnumerable<RecordedSlice> all, DateTimeOffset definedAt, DateTimeOffset at, DateTimeOffset from)
    {
        var counted = all.Where(s => s.End > from && s.End <= at && s.Start >= definedAt && s.RecordedAt <= at).ToList();
        return new Tally(counted.Sum(s => s.Good), counted.Sum(s => s.Total));
    }

    private static readonly Gen<RecordedSlice> SliceGen =
        Gen.Select(Gen.Int[0, 6 * 24 * 60], Gen.Int[1, 90], Gen.Int[0, 1000], Gen.Int[0, 100], Gen.Int[0, 600])
            .Select(t =>
            {
                var start = Defined.AddHours(-6).AddMinutes(t.Item1);
                var end = start.AddMinutes(t.Item2);
                return new RecordedSlice(start, end, t.Item3 - t.Item3 * t.Item4 / 100, t.Item3, end.AddMinutes(t.Item5));
            });

    [Fact]
    public void hours_summed_per_observation_and_merged_are_the_hours_of_all_the_slices_at_once()
    {
        // What the projection stores: each observation's hours, merged into the hours already there, in any grouping.
        Gen.Select(SliceGen.Array[1, 200], Gen.Int[1, 10]).Sample(t =>
        {
            var (slices, groups) = t;
            var all = slices.DistinctBy(s => (s.Start, s.End)).ToList();
            var stored = new Dictionary<DateTimeOffset, HourTally>();
            foreach (var observation in all.Select((s, i) => (s, i)).GroupBy(x => x.i % groups, x => x.s))
                foreach (var recordedAt in observation.GroupBy(s => s.RecordedAt))
                    foreach (var hour in HourlyRollup.Hours(recordedAt.Select(s => new SliceObservation(s.Start, s.End, s.Good, s.Total)), recordedAt.Key))
                        stored[hour.Hour] = stored.TryGetValue(hour.Hour, out var before) ? HourlyRollup.Merge(before, hour) : hour;

            Assert.Equal(Hours(all).OrderBy(h => h.Hour), stored.Values.OrderBy(h => h.Hour));
        });
    }

    [Fact]
    public void every_window_sums_what_the_slices_sum_with_late_data_cut_hours_and_history_before_the_definition()
    {
        var gen = Gen.Select(SliceGen.Array[0, 400], Gen.Int[0, 6 * 24 * 60 * 60], Gen.Int[0, 360]);
        gen.Sample(t =>
        {
            var (slices, atSeconds, definedMinutes) = t;
            // Distinct slices, as the writers keep them (a slice already recorded is skipped).
            var all = slices.DistinctBy(s => (s.Start, s.End)).ToList();
            var at = Defined.AddSeconds(atSeconds);
            var definedAt = Defined.AddMinutes(definedMinutes - 180);
            var starts = new[] { 5, 30, 60, 120, 360, 1440, 4320 }.Select(m => at.AddMinutes(-m)).Append(definedAt).ToList();
            foreach (var from in starts)
                Assert.Equal(Directly(all, definedAt, at, from), ViaHours(all, definedAt, at, starts, from));
        }, iter: 300);
    }

    [Fact]
    public void the_slices_read_do_not_grow_with_the_history()
    {
        int SlicesRead(int days)
        {
            var at = Defined.AddDays(days).AddMinutes(17).AddSeconds(30);
            var all = Minutes(Defined, days * 24 * 60 + 17, total: 1000, bad: 1)
                .Select(s => new RecordedSlice(s.Start, s.End, s.Good, s.Total, s.End)).ToList();
            var starts = SloCalculator.WindowStarts(Availability(), Defined, at);
            var spans = HourlyRollup.SlicesToRead(Hours(all).Where(h => !HourlyRollup.Clean(h, Defined, at)).Select(h => h.Hour), at, starts);
            foreach (var from in starts) Assert.Equal(Directly(all, Defined, at, from), ViaHours(all, Defined, at, starts, from));
            return all.Count(s => Inside(spans, s));
        }

        // At most the hours cut by the status's windows (11 starts and the instant), whatever the history.
        var thirtyDays = SlicesRead(30);
        Assert.InRange(thirtyDays, 1, 12 * 60);
        Assert.Equal(thirtyDays, SlicesRead(90));
    }

    [Fact]
    public void a_slice_ending_on_the_hour_belongs_to_the_hour_before()
    {
        var hour = new DateTimeOffset(2026, 10, 1, 13, 0, 0, TimeSpan.Zero);
        Assert.Equal(hour.AddHours(-1), HourlyRollup.HourOf(hour));
        Assert.Equal(hour, HourlyRollup.HourOf(hour.AddTicks(1)));
        Assert.Equal(hour, HourlyRollup.HourOf(hour.AddHours(1)));
    }

    [Fact]
    public void an_hour_with_data_recorded_after_the_instant_is_read_slice_by_slice()
    {
        var hour = new HourTally(Defined, 90, 100, Defined, Defined.AddHours(3));
        Assert.False(HourlyRollup.Clean(hour, Defined, Defined.AddHours(2)));
        Assert.True(HourlyRollup.Clean(hour, Defined, Defined.AddHours(3)));
        Assert.Contains((Defined, Defined.AddHours(1)), HourlyRollup.SlicesToRead([Defined], Defined.AddHours(2), [Defined]));
    }

    [Fact]
    public void each_window_sums_the_buckets_from_its_start_on()
    {
        DateTimeOffset[] starts = [Defined, Defined.AddHours(1), Defined.AddHours(2)];
        var sums = HourlyRollup.SumsFrom(starts, new Dictionary<int, Tally> { [1] = new(1, 2), [3] = new(10, 20) });
        Assert.Equal(new Tally(11, 22), sums[Defined]);
        Assert.Equal(new Tally(10, 20), sums[Defined.AddHours(1)]);
        Assert.Equal(new Tally(10, 20), sums[Defined.AddHours(2)]);
    }
}
