using Sre.Domain.Slos;

namespace Sre.Domain.Tests.Slos;

/// <summary>Slices given by one value: a threshold SLI's measurement, or a raw ratio (OpenSLO <c>thresholdMetric</c>, <c>ratioMetric.raw</c>).</summary>
public class SliValueTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ThresholdOp.Lte, 0.3, 1)]
    [InlineData(ThresholdOp.Lt, 0.3, 0)]
    [InlineData(ThresholdOp.Gte, 0.3, 1)]
    [InlineData(ThresholdOp.Gt, 0.3, 0)]
    [InlineData(ThresholdOp.Lte, 0.30000000000000004, 0)]
    public void a_threshold_value_is_one_event_good_when_it_meets_the_comparison_exactly(ThresholdOp op, double value, long good)
    {
        Assert.Equal((good, 1L), new SliSpec(SliKind.Latency, Op: op, Value: 0.3).Events(value));
    }

    [Theory]
    [InlineData(RawType.Success, 0.9995, 999_500)]
    [InlineData(RawType.Failure, 0.0005, 999_500)]
    [InlineData(RawType.Success, 1.2, 1_000_000)]
    [InlineData(RawType.Failure, -0.1, 1_000_000)]
    [InlineData(RawType.Success, 0.0000005, 1)]
    public void a_raw_ratio_is_a_million_events_its_success_share_good(RawType type, double ratio, long good)
    {
        Assert.Equal((good, SliSpec.RawScale), new SliSpec(SliKind.Availability, RawType: type).Events(ratio));
    }

    [Fact]
    public void a_pushed_value_is_for_threshold_and_raw_slis_only_and_stands_alone()
    {
        var limits = new ObservationLimits();
        Dictionary<string, string[]> Check(ObservedSlice s, SliSpec sli)
        {
            var errors = new Dictionary<string, string[]>();
            ObservationRules.Check(s, sli, "slices[0]", limits, T.AddHours(1), errors);
            return errors;
        }
        var threshold = new SliSpec(SliKind.Latency, Op: ThresholdOp.Lte, Value: 0.3);
        var raw = new SliSpec(SliKind.Availability, RawType: RawType.Success);
        var slice = new ObservedSlice(T, T.AddMinutes(1), Value: 0.25);

        Assert.Empty(Check(slice, threshold));
        Assert.Equal(new SliceObservation(T, T.AddMinutes(1), 1, 1), ObservationRules.ToObservation(slice, threshold));
        Assert.Empty(Check(slice, raw));
        Assert.Equal(new SliceObservation(T, T.AddMinutes(1), 250_000, SliSpec.RawScale), ObservationRules.ToObservation(slice, raw));
        Assert.Contains("slices[0].value", Check(slice, new SliSpec(SliKind.Availability)).Keys);
        Assert.Contains("slices[0].value", Check(slice with { Value = 1.5 }, raw).Keys);
        Assert.Contains("slices[0].value", Check(slice with { Value = double.NaN }, threshold).Keys);
        Assert.Contains("slices[0].value", Check(slice with { Total = 10, Good = 9 }, threshold).Keys);
        // Without a value, a threshold SLI takes good and total as any ratio.
        Assert.Empty(Check(new ObservedSlice(T, T.AddMinutes(1), 10, 9), threshold));
        Assert.Contains("slices[0].good", Check(new ObservedSlice(T, T.AddMinutes(1), 10), threshold).Keys);
    }
}
