using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;

namespace Sre.Domain.Tests.Slos;

public class SlicePlanTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset T = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void slices_are_aligned_to_the_clock_and_end_a_lag_before_now()
    {
        var ranges = SlicePlan.Ranges(T.AddSeconds(10), T.AddMinutes(5).AddSeconds(50), Minute, TimeSpan.FromSeconds(30));
        // The first whole slice after 08:00:10 starts at 08:01; the last that ended 30 s before 08:05:50 ends at 08:05.
        var range = Assert.Single(ranges);
        Assert.Equal(new SliceRange(T.AddMinutes(2), T.AddMinutes(5), Minute), range);
        Assert.Equal(4, range.Count);
    }

    [Fact]
    public void a_pull_from_the_end_of_the_last_slice_stored_starts_with_the_next_slice()
    {
        var range = Assert.Single(SlicePlan.Ranges(T, T.AddMinutes(3), Minute, TimeSpan.Zero));
        Assert.Equal(T.AddMinutes(1), range.FirstEnd);
        Assert.Equal(T.AddMinutes(3), range.LastEnd);
    }

    [Fact]
    public void nothing_is_due_before_a_whole_slice_has_ended_the_lag_ago() =>
        Assert.Empty(SlicePlan.Ranges(T, T.AddMinutes(1).AddSeconds(29), Minute, TimeSpan.FromSeconds(30)));

    [Fact]
    public void history_older_than_the_source_holds_is_a_gap_up_to_the_first_whole_slice_it_holds()
    {
        var range = SlicePlan.Ranges(T, T.AddHours(5), Minute, TimeSpan.Zero)[0];
        // The source holds from 08:30:20: the slices before 08:31 cannot be had whole.
        Assert.Equal(T.AddMinutes(31), SlicePlan.GapBefore(range, T.AddMinutes(30).AddSeconds(20), T.AddHours(5), TimeSpan.Zero));
        // It holds the first slice: no gap.
        Assert.Null(SlicePlan.GapBefore(range, T, T.AddHours(5), TimeSpan.Zero));
        // It holds nothing due yet: the gap ends at the last slice due, no further.
        Assert.Equal(T.AddHours(5).AddMinutes(-2), SlicePlan.GapBefore(range, T.AddHours(6), T.AddHours(5), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void a_range_longer_than_prometheus_takes_is_split_at_11000_points()
    {
        var ranges = SlicePlan.Ranges(T, T.AddDays(30), Minute, TimeSpan.Zero);
        Assert.Equal([11_000L, 11_000L, 11_000L, 43_200L - 33_000L], ranges.Select(r => r.Count));
        // Contiguous: each range's first slice follows the previous range's last.
        for (var i = 1; i < ranges.Count; i++) Assert.Equal(ranges[i - 1].LastEnd + Minute, ranges[i].FirstEnd);
        Assert.Equal(T.AddDays(30), ranges[^1].LastEnd);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10_999)]
    public void every_slice_is_in_exactly_one_range_whatever_the_split(int maxPoints)
    {
        var ranges = SlicePlan.Ranges(T.AddSeconds(1), T.AddHours(3), Minute, TimeSpan.FromMinutes(2), maxPoints);
        var ends = ranges.SelectMany(r => Enumerable.Range(0, (int)r.Count).Select(i => r.FirstEnd + Minute * i)).ToList();
        Assert.Equal(Enumerable.Range(2, 177).Select(i => T.AddMinutes(i)), ends);
        Assert.All(ranges, r => Assert.InRange(r.Count, 1, maxPoints));
    }
}

public class SliQueryTemplateTests
{
    [Theory]
    [InlineData("sum(rate(x[{{.window}}]))", "sum(rate(x[1m]))")]
    [InlineData("sum(rate(x[{{ .window }}])) / sum(rate(y[{{.window}}]))", "sum(rate(x[1m])) / sum(rate(y[1m]))")]
    public void the_window_placeholder_becomes_the_slice_length(string query, string rendered) =>
        Assert.Equal(rendered, SliQueryTemplate.Render(query, TimeSpan.FromMinutes(1)));
}

public class PulledSlicesTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset T = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly SliceRange Range = new(T.AddMinutes(1), T.AddMinutes(4), Minute);

    private static Dictionary<DateTimeOffset, double> Values(params (int Minute, double Value)[] values) =>
        values.ToDictionary(v => T.AddMinutes(v.Minute), v => v.Value);

    [Fact]
    public void a_per_second_rate_becomes_the_events_of_the_slice_rounded_to_the_nearest()
    {
        Assert.Equal(100, PulledSlices.Events(100 / 60.0, Minute));
        Assert.Equal(3, PulledSlices.Events(2.5 / 60, Minute));
        Assert.Equal(2, PulledSlices.Events(2.4 / 60, Minute));
        Assert.Null(PulledSlices.Events(double.NaN, Minute));
        Assert.Null(PulledSlices.Events(double.PositiveInfinity, Minute));
        Assert.Null(PulledSlices.Events(-1, Minute));
    }

    [Fact]
    public void good_over_total_with_no_data_where_the_total_is_absent_or_zero()
    {
        var slices = PulledSlices.Ratio(Range,
            total: Values((1, 10.0), (2, 0.0), (4, 1.0)),
            counted: Values((1, 9.0), (2, 0.0), (3, 1.0)),
            CountedEvents.Good);
        Assert.Equal([new ObservedSlice(T, T.AddMinutes(1), 600, 540), new ObservedSlice(T.AddMinutes(3), T.AddMinutes(4), 60, 0)], slices);
    }

    [Fact]
    public void bad_becomes_total_minus_bad_and_an_absent_bad_is_none()
    {
        var slices = PulledSlices.Ratio(Range, Values((1, 1.0), (2, 1.0)), Values((1, 0.25)), CountedEvents.Bad);
        Assert.Equal([new ObservedSlice(T, T.AddMinutes(1), 60, 45), new ObservedSlice(T.AddMinutes(1), T.AddMinutes(2), 60, 60)], slices);
    }

    [Fact]
    public void good_is_clamped_to_the_total()
    {
        // Extrapolation at the range's edges can make the good rate exceed the total's, or a bad rate exceed it.
        Assert.Equal(60, PulledSlices.Ratio(Range, Values((1, 1.0)), Values((1, 1.2)), CountedEvents.Good).Single().Good);
        Assert.Equal(0, PulledSlices.Ratio(Range, Values((1, 1.0)), Values((1, 1.2)), CountedEvents.Bad).Single().Good);
        Assert.Equal(0, PulledSlices.Ratio(Range, Values((1, 1.0)), Values((1, -0.5)), CountedEvents.Good).Single().Good);
    }

    [Fact]
    public void a_pulled_slice_that_overlaps_a_stored_one_is_left_out_whatever_the_boundaries()
    {
        var pulled = Enumerable.Range(0, 4).Select(i => new ObservedSlice(T.AddMinutes(i), T.AddMinutes(i + 1), 10, 10)).ToList();
        // A stored 2-minute slice over minutes 1-3 (another length), and one ending exactly where the last pulled starts.
        var stored = new[] { (T.AddMinutes(1), T.AddMinutes(3)), (T.AddMinutes(-5), T) };
        Assert.Equal([pulled[0], pulled[3]], PulledSlices.WithoutStored(pulled, stored));
        Assert.Equal(pulled, PulledSlices.WithoutStored(pulled, []));
    }

    [Fact]
    public void a_rate_beyond_any_traffic_is_the_most_a_slice_may_count() =>
        Assert.Equal(ObservationRules.MaxEvents, PulledSlices.Events(1e30, Minute));

    [Fact]
    public void a_threshold_sli_makes_each_slice_one_event_good_when_its_value_meets_the_comparison()
    {
        // A p99 of 0.3 s meets "lte 0.3" exactly; NaN (histogram_quantile over no requests) and absence are no data.
        var values = Values((1, 0.25), (2, 0.3), (3, double.NaN));
        Assert.Equal([new ObservedSlice(T, T.AddMinutes(1), 1, 1), new ObservedSlice(T.AddMinutes(1), T.AddMinutes(2), 1, 1)],
            PulledSlices.Threshold(Range, values, ThresholdOp.Lte, 0.3));
        Assert.Equal([0L, 0L], PulledSlices.Threshold(Range, values, ThresholdOp.Lt, 0.25).Select(s => s.Good!.Value));
        Assert.Equal([1L, 1L], PulledSlices.Threshold(Range, Values((1, double.PositiveInfinity), (2, 0.3)), ThresholdOp.Gte, 0.3).Select(s => s.Good!.Value));
        Assert.Equal([0L, 1L], PulledSlices.Threshold(Range, values, ThresholdOp.Gt, 0.25).Select(s => s.Good!.Value));
    }

    [Fact]
    public void a_rate_sli_keeps_a_zero_total_and_leaves_out_only_what_is_absent() =>
        Assert.Equal([new ObservedSlice(T, T.AddMinutes(1), 0), new ObservedSlice(T.AddMinutes(2), T.AddMinutes(3), 120)],
            PulledSlices.Total(Range, Values((1, 0.0), (3, 2.0), (4, double.NaN))));
}

public class PrometheusAnswerTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void the_series_of_a_matrix_are_summed_per_instant_and_special_values_kept()
    {
        var t = T.ToUnixTimeSeconds();
        var json = $$$"""
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"pod":"a"},"values":[[{{{t}}},"1.5"],[{{{t + 60}}},"NaN"]]},
              {"metric":{"pod":"b"},"values":[[{{{t}}},"2"],[{{{t + 120}}}.5,"+Inf"]]}]}}
            """;
        var sums = System.Text.Json.JsonSerializer.Deserialize<PrometheusAnswer>(json)!.SumByInstant();
        Assert.Equal(3.5, sums[T]);
        Assert.True(double.IsNaN(sums[T.AddMinutes(1)]));
        Assert.Equal(double.PositiveInfinity, sums[T.AddMinutes(2).AddMilliseconds(500)]);
        Assert.Equal(3, sums.Count);
    }

    [Fact]
    public void an_error_answer_has_its_type_and_message()
    {
        var answer = System.Text.Json.JsonSerializer.Deserialize<PrometheusAnswer>(
            """{"status":"error","errorType":"bad_data","error":"1:5: parse error"}""")!;
        Assert.Equal(("error", "bad_data", "1:5: parse error"), (answer.Status, answer.ErrorType, answer.Error));
        Assert.Empty(answer.SumByInstant());
    }

    [Fact]
    public void instants_go_out_as_unix_seconds_with_milliseconds() =>
        Assert.Equal($"{T.ToUnixTimeSeconds()}.25", PrometheusAnswer.Format(T.AddMilliseconds(250)));
}

public class RedQueriesTests
{
    [Fact]
    public void istio_queries_read_the_server_side_of_the_service_and_match_both_bucket_spellings()
    {
        var q = RedQueries.For(RedMetrics.Istio, "checkout", null, TimeSpan.FromMilliseconds(100), grpc: false);
        Assert.Equal("sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name=\"checkout\"}[{{.window}}]))", q.Requests);
        Assert.Equal("sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name=\"checkout\",response_code=~\"5..\"}[{{.window}}]))", q.Errors);
        Assert.Equal("sum(rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"checkout\",le=~\"100(\\\\.0)?\"}[{{.window}}]))", q.FastEnough);
        Assert.Equal("sum(rate(istio_request_duration_milliseconds_count{reporter=\"destination\",destination_service_name=\"checkout\"}[{{.window}}]))", q.Timed);
    }

    [Fact]
    public void grpc_failures_count_with_5xx_and_a_selector_replaces_the_service_name()
    {
        var q = RedQueries.For(RedMetrics.Istio, "checkout", "destination_service=\"checkout.shop.svc.cluster.local\"", TimeSpan.FromMilliseconds(0.5), grpc: true);
        Assert.Contains("reporter=\"destination\",destination_service=\"checkout.shop.svc.cluster.local\",response_code!~\"5..\",grpc_response_status=~\"2|4|12|13|14|15\"", q.Errors);
        Assert.StartsWith("(sum(rate(istio_requests_total{reporter=\"destination\",destination_service=\"checkout.shop.svc.cluster.local\",response_code=~\"5..\"}", q.Errors);
        Assert.Contains("le=~\"0\\\\.5(\\\\.0)?\"", q.FastEnough);
    }

    [Fact]
    public void plain_metrics_use_the_service_label_and_seconds() =>
        Assert.Equal("sum(rate(http_request_duration_seconds_bucket{service=\"checkout\",le=~\"0\\\\.25(\\\\.0)?\"}[{{.window}}]))",
            RedQueries.For(RedMetrics.Http, "checkout", null, TimeSpan.FromMilliseconds(250), grpc: false).FastEnough);
}

public class PulledDefinitionTests
{
    private static SloDefinition With(SliSpec sli) => SloGiven.Availability() with { Sli = sli };

    private static SliSpec Threshold(ThresholdOp? op = ThresholdOp.Lte, double? value = 0.3) =>
        new(SliKind.Latency, ThresholdQuery: "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[{{.window}}])))",
            Op: op, Value: value);

    [Fact]
    public void a_threshold_sli_needs_its_comparison_and_no_other_query()
    {
        Assert.Empty(SloRules.Check(With(Threshold())));
        Assert.True(Threshold().IsPromQl);
        Assert.Contains("sli.op", SloRules.Check(With(Threshold(op: null))).Keys);
        Assert.Contains("sli.value", SloRules.Check(With(Threshold(value: double.NaN))).Keys);
        Assert.Contains("sli.thresholdQuery", SloRules.Check(With(Threshold() with { TotalQuery = "sum(rate(x[{{.window}}]))" })).Keys);
        // Without a query, op and value judge pushed values (an OpenSLO thresholdMetric from another source).
        var pushed = new SliSpec(SliKind.Availability, Op: ThresholdOp.Lt, Value: 1);
        Assert.Empty(SloRules.Check(With(pushed)));
        Assert.True(pushed.IsThreshold && !pushed.IsPromQl);
        Assert.Contains("sli.op", SloRules.Check(With(new SliSpec(SliKind.Availability, Value: 1))).Keys);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(3600, true)]
    [InlineData(9, false)]
    [InlineData(3601, false)]
    public void a_pulled_slice_is_whole_seconds_from_10s_to_1h(int seconds, bool valid) =>
        Assert.Equal(valid, !SloRules.Check(With(Threshold() with { SliceLength = TimeSpan.FromSeconds(seconds) })).ContainsKey("sli.sliceLength"));

    [Fact]
    public void a_new_slice_length_goes_on_from_the_pull_while_new_queries_pull_the_history_again()
    {
        Assert.True(Threshold().SamePullAs(Threshold() with { SliceLength = TimeSpan.FromMinutes(5) }));
        Assert.False(Threshold().SamePullAs(Threshold(value: 0.5)));
        Assert.False(Threshold().SamePullAs(Threshold(op: ThresholdOp.Lt)));
    }

    [Fact]
    public void the_time_without_data_is_what_no_stored_slice_covers_of_the_span_pulled()
    {
        Assert.Equal(new SliNoData(600, 0.25), SliNoData.Of(TimeSpan.FromMinutes(40), 1800));
        Assert.Equal(new SliNoData(0, 0), SliNoData.Of(TimeSpan.FromMinutes(40), 2400));
    }
}
