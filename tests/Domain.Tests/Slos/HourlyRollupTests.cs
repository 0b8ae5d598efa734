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

    /// <summary>What the store hands over: the hours' sums and only the slices of the hours it must read.</summary>
    private static Tally ViaHours(IReadOnlyList<RecordedSlice> all, DateTimeOffset definedAt, DateTimeOffset at, IReadOnlyList<DateTimeOffset> starts, DateTimeOffset from)
    {
        var hours = Hours(all).Where(h => h.Hour >= HourlyRollup.Floor(starts.Min()) && h.Hour < at).ToList();
        var spans = HourlyRollup.SlicesToRead(hours, definedAt, at, starts);
        var read = all.Where(s => Inside(spans, s)).ToList();
        return HourlyRollup.Over(from, hours, read, definedAt, at);
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
            var spans = HourlyRollup.SlicesToRead(Hours(all), Defined, at, starts);
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
        Assert.False(HourlyRollup.Summable(hour, Defined, Defined, Defined.AddHours(2)));
        Assert.True(HourlyRollup.Summable(hour, Defined, Defined, Defined.AddHours(3)));
        Assert.Contains((Defined, Defined.AddHours(1)), HourlyRollup.SlicesToRead([hour], Defined, Defined.AddHours(2), [Defined]));
    }
}
