using Sre.Domain.Slos;
using Sre.Domain.Time;
using Sre.Host.Slos.OpenSlo;

namespace Sre.Host.Tests.Slos.OpenSlo;

/// <summary>The reading of OpenSLO text and its rules, without a store: pure.</summary>
public class OpenSloReaderTests
{
    private static (List<OpenSloDocument> Documents, Dictionary<string, string[]> Errors) Parse(string text)
    {
        var errors = new Dictionary<string, string[]>();
        return (OpenSloReader.Parse(text, errors), errors);
    }

    private static IReadOnlyList<SloDefinition> Slos(string text)
    {
        var (documents, errors) = Parse(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        var index = OpenSloReader.Index(documents, errors);
        var slos = documents.Where(d => d.Kind == OpenSloKinds.Slo)
            .SelectMany(d => OpenSloReader.Objectives(d, (k, n) => index.GetValueOrDefault((k, n)), OpenSloReader.Lookup.Empty, errors)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        return slos;
    }

    private const string Minimal = """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: checkout
        spec:
          service: shop
          budgetingMethod: Occurrences
          timeWindow:
            - duration: 28d
              isRolling: true
          indicator:
            metadata:
              name: checkout-sli
            spec:
              ratioMetric:
                counter: true
                good:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(rate(ok[{{.window}}]))
                total:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(rate(all[{{.window}}]))
          objectives:
            - displayName: Good
              target: 0.995
        """;

    [Fact]
    public void a_minimal_slo_reads_to_one_definition()
    {
        var d = Assert.Single(Slos(Minimal));
        Assert.Equal(("checkout", "shop", 0.995, TimeSpan.FromDays(28)), (d.Name, d.Service, d.Target, d.Window.Duration!.Value));
        Assert.Equal("sum(rate(ok[{{.window}}]))", d.Sli.GoodQuery);
    }

    private static SloDefinition Definition(string name, SliSpec sli, SloWindow? window = null, Budgeting? budgeting = null, AlertingOptions? alerting = null,
        SloObjective? objective = null, double target = 0.999) =>
        new(name, "shop", "What the shop promises", sli, target, window ?? SloWindow.Rolling(TimeSpan.FromDays(28)), budgeting ?? Budgeting.Occurrences,
            new Dictionary<string, string> { ["team"] = "shop" }, alerting ?? AlertingOptions.Default, objective);

    public static TheoryData<string> Written() =>
    [
        "ratio", "bad", "rate", "pushed", "threshold-pushed", "threshold-pulled", "raw", "calendar-from", "calendar-default", "timeslices",
        "conditions", "no-conditions", "no-data-not-resolved", "minutes-rolling",
    ];

    private static IReadOnlyList<SloDefinition> Case(string name) => name switch
    {
        "ratio" => [Definition("a", new SliSpec(SliKind.Availability, GoodQuery: "sum(rate(ok[{{.window}}]))", TotalQuery: "sum(rate(all[{{.window}}]))"))],
        "bad" => [Definition("a", new SliSpec(SliKind.Latency, TimeSpan.FromMilliseconds(250), BadQuery: "sum(rate(slow[{{.window}}]))", TotalQuery: "sum(rate(all[{{.window}}]))"))],
        "rate" => [Definition("a", new SliSpec(SliKind.Rate, Rate: new RateRule(100, 0.5, TimeSpan.FromHours(1)), TotalQuery: "sum(rate(all[{{.window}}]))"))],
        "pushed" => [Definition("a", new SliSpec(SliKind.Correctness))],
        "threshold-pushed" => [Definition("a", new SliSpec(SliKind.Freshness, Op: ThresholdOp.Lt, Value: 60))],
        "threshold-pulled" => [Definition("a", new SliSpec(SliKind.Latency, ThresholdQuery: "histogram_quantile(0.99, x)", Op: ThresholdOp.Lte, Value: 0.3,
            SliceLength: TimeSpan.FromSeconds(30)))],
        "raw" => [Definition("a", new SliSpec(SliKind.Availability, RawQuery: "avg(success_ratio)", RawType: RawType.Success))],
        "calendar-from" => [Definition("a", new SliSpec(SliKind.Durability), SloWindow.Calendar(2, CalendarUnit.Week, new DateTime(2026, 11, 2, 9, 0, 0), "America/New_York"))],
        "calendar-default" => [Definition("a", new SliSpec(SliKind.Availability), SloWindow.Calendar(CalendarUnit.Quarter, "Europe/Berlin"))],
        "timeslices" => [Definition("a", new SliSpec(SliKind.Availability), budgeting: new Budgeting(BudgetingMethod.Timeslices, TimeSpan.FromMinutes(5), 0.95))],
        "conditions" => [Definition("a", new SliSpec(SliKind.Availability), alerting: new AlertingOptions(
            [new BurnCondition("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4), new BurnCondition("sev-2", TimeSpan.FromDays(1), TimeSpan.FromHours(2), 3, ThresholdOp.Gte),
                new BurnCondition("ticket", TimeSpan.FromDays(3), TimeSpan.FromHours(6), 0.5, ThresholdOp.Lt), new BurnCondition("page", TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(40), 10),
                new BurnCondition("page", TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), 0), new BurnCondition("ticket", TimeSpan.FromDays(1), TimeSpan.FromHours(2), -1)], 100))],
        "no-conditions" => [Definition("a", new SliSpec(SliKind.Availability), alerting: new AlertingOptions([]))],
        "no-data-not-resolved" => [Definition("a", new SliSpec(SliKind.Availability), alerting: new AlertingOptions(
            [new BurnCondition("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4)], NoData: true, Resolved: false))],
        "minutes-rolling" => [Definition("a", new SliSpec(SliKind.Availability), SloWindow.Rolling(TimeSpan.FromMinutes(90)), target: 0)],
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void what_the_writer_writes_is_valid_and_reads_back_to_the_same_definitions(string name)
    {
        var definitions = Case(name);
        var errors = new Dictionary<string, string[]>();

        var document = OpenSloReader.Document("documents[0]", OpenSloWriter.Document(definitions), errors);

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        var read = OpenSloReader.Objectives(document!, (_, _) => null, OpenSloReader.Lookup.Empty, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        Assert.Equal(definitions.Count, read.Count);
        foreach (var (written, back) in definitions.Zip(read)) Assert.True(written.SameAs(back), $"{written}\n{back}");
    }

    [Fact]
    public void several_objectives_write_as_one_slo_and_read_back_to_each()
    {
        var sli = new SliSpec(SliKind.Availability, GoodQuery: "sum(rate(ok[{{.window}}]))", TotalQuery: "sum(rate(all[{{.window}}]))");
        IReadOnlyList<SloDefinition> definitions =
        [
            Definition("checkout.internal", sli, objective: new SloObjective("checkout", "internal", "Internal")),
            Definition("checkout.sla", sli, objective: new SloObjective("checkout", "sla", "SLA"), target: 0.995),
        ];
        var errors = new Dictionary<string, string[]>();

        var document = OpenSloReader.Document("documents[0]", OpenSloWriter.Document(definitions), errors)!;
        var read = OpenSloReader.Objectives(document, (_, _) => null, OpenSloReader.Lookup.Empty, errors);

        Assert.Empty(errors);
        Assert.Equal("checkout", document.Name);
        Assert.All(definitions.Zip(read), p => Assert.True(p.First.SameAs(p.Second)));
    }

    [Fact]
    public void a_yaml_list_holds_one_document_per_item_numbered_across_the_body()
    {
        var (documents, errors) = Parse("- apiVersion: openslo/v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: openslo/v1\n  kind: Service\n  metadata: {name: b}\n---\napiVersion: openslo/v1\nkind: Service\nmetadata: {name: c}\n");

        Assert.Empty(errors);
        Assert.Equal([("documents[0]", "a"), ("documents[1]", "b"), ("documents[2]", "c")], documents.Select(d => (d.Path, d.Name)));
    }

    [Theory]
    [InlineData("target: 0.995", null)]
    [InlineData("target: \"0.995\"", "'0.995' is not a number.")]
    [InlineData("target: .995", null)]
    [InlineData("target: ~", "one of target and targetPercent is required.")]
    public void plain_scalars_take_their_yaml_type_and_quoted_ones_are_strings(string target, string? error)
    {
        var (_, errors) = Parse(Minimal.Replace("target: 0.995", target));

        Assert.Equal(error, errors.GetValueOrDefault("documents[0].spec.objectives[0].target")?[0].Split(": ", 2)[1]);
    }

    [Fact]
    public void aliases_that_expand_past_the_limit_are_refused_not_expanded()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 8).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]\n"));

        var (documents, errors) = Parse(bomb);

        Assert.Empty(documents);
        Assert.Contains("nodes", errors["body"][0]);
    }

    [Fact]
    public void a_key_given_twice_is_refused()
    {
        var (_, errors) = Parse(Minimal.Replace("  service: shop\n", "  service: shop\n  service: till\n"));

        Assert.Contains("'service' is given twice", errors["body"][0]);
    }

    [Fact]
    public void objectives_are_named_by_their_display_names_when_those_are_distinct_labels()
    {
        Assert.Equal(["internal", "s-l-a", "objective-2"],
            OpenSloReader.ObjectiveNames([new Objective { DisplayName = "Internal" }, new Objective { DisplayName = "S.L.A." }, new Objective()]));
        Assert.Equal(["objective-0", "objective-1"],
            OpenSloReader.ObjectiveNames([new Objective { DisplayName = "Good" }, new Objective { DisplayName = "good" }]));
        // A displayName that is another objective's fallback: every objective is its index.
        Assert.Equal(["objective-0", "objective-1"],
            OpenSloReader.ObjectiveNames([new Objective { DisplayName = "Objective 1" }, new Objective()]));
    }

    [Theory]
    [InlineData("1m", 1, CalendarUnit.Minute)]
    [InlineData("1M", 1, CalendarUnit.Month)]
    [InlineData("2Q", 2, CalendarUnit.Quarter)]
    [InlineData("366d", 366, CalendarUnit.Day)]
    [InlineData("0d", 0, null)]
    [InlineData("1.5h", 0, null)]
    [InlineData("1 h", 0, null)]
    [InlineData("1y", 0, null)]
    public void durations_are_a_positive_count_and_one_case_sensitive_unit(string text, int count, CalendarUnit? unit)
    {
        Assert.Equal(unit is null ? null : (count, unit.Value), OpenSloDuration.Parse(text));
    }

    [Fact]
    public void a_rolling_month_is_30_days_and_a_slice_window_may_be_minutes()
    {
        Assert.Equal(TimeSpan.FromDays(30), OpenSloDuration.Length("1M"));
        Assert.Equal(TimeSpan.FromMinutes(5), OpenSloDuration.SliceLength(System.Text.Json.Nodes.JsonValue.Create(5)));
        Assert.Equal("90m", OpenSloDuration.Format(TimeSpan.FromMinutes(90)));
        Assert.Equal(PromDuration.Format(TimeSpan.FromDays(28)), OpenSloDuration.Format(TimeSpan.FromDays(28)));
    }

    [Fact]
    public void a_calendar_window_of_one_minute_is_one_minute_and_says_so()
    {
        var (documents, errors) = Parse(Minimal.Replace("    - duration: 28d\n      isRolling: true", "    - duration: 1m\n      calendar:\n        startTime: \"2026-01-01 00:00:00\"\n        timeZone: UTC"));

        Assert.Empty(errors);
        var window = Assert.Single(Slos(Minimal.Replace("    - duration: 28d\n      isRolling: true", "    - duration: 1m\n      calendar:\n        startTime: \"2026-01-01 00:00:00\"\n        timeZone: UTC"))).Window;
        Assert.Equal((CalendarUnit.Minute, (DateTime?)new DateTime(2026, 1, 1)), (window.Unit!.Value, window.StartTime));
        Assert.Contains("1 minute(s) long", Assert.Single(OpenSloRules.Warnings(documents[0])));
        Assert.Empty(OpenSloRules.Warnings(Parse(Minimal).Documents[0]));
    }
}
