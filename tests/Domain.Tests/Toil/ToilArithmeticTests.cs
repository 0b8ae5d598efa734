using Sre.Domain.Incidents;
using Sre.Domain.Toil;

namespace Sre.Domain.Tests.Toil;

public class ToilArithmeticTests
{
    // Monday 2 November 2026, 00:00 UTC.
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private static ToilEntry Entry(int minutes, DateTimeOffset at, string taskKey = "tmp-dir-cleanup", string team = "sre",
        ToilCategory category = ToilCategory.ProductionInterrupts, params ToilTrait[] traits) =>
        new() { Id = Guid.NewGuid(), Team = team, TaskKey = taskKey, Minutes = minutes, PerformedAt = at, Category = category, Traits = traits };

    [Fact]
    public void a_week_of_four_engineers_at_40_hours_is_9600_minutes_and_5000_of_toil_is_over_the_cap()
    {
        var capacity = new[] { new TeamCapacity(Monday.AddDays(-30), 4, 40) };
        var rows = TeamToil.Report([Entry(3000, Monday.AddDays(1)), Entry(2000, Monday.AddDays(6))], capacity, Monday, Monday.AddDays(7), ToilBucket.Week);

        var week = Assert.Single(rows);
        Assert.Equal(9600, week.CapacityMinutes!.Value, 6);
        Assert.Equal(5000, week.Minutes);
        Assert.Equal(5000.0 / 9600, week.Share!.Value, 9);
        Assert.True(week.OverCap);
    }

    [Fact]
    public void a_week_is_judged_by_the_team_as_it_was_each_day()
    {
        // Four engineers on Monday and Tuesday, eight from Wednesday on.
        var capacity = new[] { new TeamCapacity(Monday.AddDays(-30), 4, 40), new TeamCapacity(Monday.AddDays(2), 8, 40) };
        var rows = TeamToil.Report([Entry(4800, Monday)], capacity, Monday, Monday.AddDays(7), ToilBucket.Week);

        Assert.Equal((2 * 4 + 5 * 8) * 40 * 60 / 7.0, rows[0].CapacityMinutes!.Value, 3);
        Assert.False(rows[0].OverCap);
    }

    [Fact]
    public void buckets_start_on_monday_or_on_the_first_of_the_month_and_entries_fall_in_their_own()
    {
        var thursday = Monday.AddDays(3).AddHours(15);
        Assert.Equal(Monday, TeamToil.BucketStart(thursday, ToilBucket.Week));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), TeamToil.BucketStart(thursday, ToilBucket.Month));

        var rows = TeamToil.Report([Entry(10, Monday.AddTicks(-1)), Entry(20, Monday), Entry(40, Monday.AddDays(7))], [],
            Monday.AddDays(-1), Monday.AddDays(14), ToilBucket.Week);
        Assert.Equal([10, 20, 40], rows.Select(r => r.Minutes));
        Assert.All(rows, r => Assert.Null(r.Share));
    }

    [Fact]
    public void minutes_are_split_by_category()
    {
        var rows = TeamToil.Report(
            [Entry(10, Monday), Entry(15, Monday, category: ToilCategory.Migrations), Entry(5, Monday.AddHours(1))], [],
            Monday, Monday.AddDays(7), ToilBucket.Week);
        Assert.Equal(15, rows[0].ByCategory[ToilCategory.ProductionInterrupts]);
        Assert.Equal(15, rows[0].ByCategory[ToilCategory.Migrations]);
    }

    [Fact]
    public void top_task_keys_come_by_total_time_with_their_automatable_share()
    {
        var top = ToilCandidates.Top(
        [
            Entry(30, Monday, "cert-renewal", traits: ToilTrait.Automatable),
            Entry(90, Monday, "cert-renewal", team: "platform"),
            Entry(100, Monday, "restart-pods", traits: [ToilTrait.Automatable, ToilTrait.Manual]),
        ], [new ToilAutomation { TaskKey = "restart-pods", DeliveredAt = Monday.AddDays(1) }], 10);

        Assert.Equal(["cert-renewal", "restart-pods"], top.Select(t => t.TaskKey));
        Assert.Equal(120, top[0].Minutes);
        Assert.Equal(2, top[0].Occurrences);
        Assert.Equal(["platform", "sre"], top[0].Teams);
        Assert.Equal(0.25, top[0].AutomatableShare, 9);
        Assert.Null(top[0].AutomatedAt);
        Assert.Equal(Monday.AddDays(1), top[1].AutomatedAt);
    }

    [Fact]
    public void an_automation_that_cut_120_minutes_a_week_to_30_saved_three_hours_in_two_weeks()
    {
        var delivered = Monday.AddDays(28);
        var entries = Enumerable.Range(0, 4).Select(w => Entry(120, Monday.AddDays(7 * w + 1)))
            .Concat(Enumerable.Range(0, 2).Select(w => Entry(30, delivered.AddDays(7 * w + 1))))
            .Append(Entry(500, Monday.AddDays(-1)))
            .ToList();
        var impact = AutomationImpact.Compute(new ToilAutomation { TaskKey = "tmp-dir-cleanup", DeliveredAt = delivered }, entries,
            delivered.AddDays(14), baselineWeeks: 4);

        Assert.Equal(120, impact.WeeklyMinutesBefore, 9);
        Assert.Equal(30, impact.WeeklyMinutesAfter!.Value, 9);
        Assert.Equal(3, impact.HoursSaved, 9);
        Assert.Equal([120, 120, 120, 120, 30, 30], impact.Weeks.Select(w => w.Minutes));
    }

    [Fact]
    public void an_incident_is_toil_from_its_acknowledgement_to_its_resolution_and_a_reopening_starts_again()
    {
        var t = Monday.AddHours(9);
        List<object> events = [new IncidentAcknowledged(t.AddMinutes(5), "ana"), new IncidentResolved(null, t.AddMinutes(47), "ana")];
        Assert.Equal((t.AddMinutes(5), t.AddMinutes(47)), IncidentToil.Span(events));
        Assert.Equal(42, IncidentToil.Minutes(IncidentToil.Span(events)!.Value));

        events.Add(new IncidentReopened("again", t.AddHours(2), "bob"));
        events.Add(new IncidentResolved(null, t.AddHours(3), "alertmanager"));
        Assert.Null(IncidentToil.Span(events));

        events.Insert(3, new IncidentAcknowledged(t.AddHours(2).AddMinutes(10), "bob"));
        Assert.Equal((t.AddHours(2).AddMinutes(10), t.AddHours(3)), IncidentToil.Span(events));
    }

    [Fact]
    public void the_owner_is_the_team_label_else_the_configured_owner_of_the_service()
    {
        var incident = new Incident { Service = "checkout", Labels = new() { ["team"] = "payments" } };
        var owners = new Dictionary<string, string> { ["checkout"] = "shop" };
        Assert.Equal("payments", IncidentToil.Owner(incident, owners, "team"));
        Assert.Equal("shop", IncidentToil.Owner(incident with { Labels = new() }, owners, "team"));
        Assert.Null(IncidentToil.Owner(incident with { Labels = new(), Service = "search" }, owners, "team"));
    }

    [Theory]
    [InlineData("production interrupts", ToilCategory.ProductionInterrupts)]
    [InlineData("production-interrupts", ToilCategory.ProductionInterrupts)]
    [InlineData("productionInterrupts", ToilCategory.ProductionInterrupts)]
    [InlineData("troubleshooting of opaque architectures", ToilCategory.Troubleshooting)]
    [InlineData("Cost engineering and capacity planning", ToilCategory.CostEngineeringAndCapacityPlanning)]
    public void categories_are_read_as_people_write_them(string text, ToilCategory expected) =>
        Assert.Equal(expected, ToilRules.ParseCategory(text));

    [Fact]
    public void an_unknown_category_or_trait_is_not_guessed()
    {
        Assert.Null(ToilRules.ParseCategory("meetings"));
        var errors = new Dictionary<string, string[]>();
        Assert.Equal([ToilTrait.Manual], ToilRules.Traits(["manual", "boring"], errors));
        Assert.Contains("traits[1]", errors.Keys);
    }
}
