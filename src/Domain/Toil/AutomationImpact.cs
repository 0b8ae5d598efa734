namespace Sre.Domain.Toil;

public sealed record ToilWeek(DateTimeOffset Start, int Minutes);

/// <summary>A task key's weekly toil before and after its automation, and the hours saved since.</summary>
public sealed record AutomationImpactReport(
    string TaskKey, DateTimeOffset DeliveredAt, int BaselineWeeks, double WeeklyMinutesBefore, double? WeeklyMinutesAfter,
    double WeeksSinceDelivery, double HoursSaved, IReadOnlyList<ToilWeek> Weeks);

public static class AutomationImpact
{
    /// <summary>
    /// Weeks are counted from the delivery: the baseline is the average of the <paramref name="baselineWeeks"/> weeks
    /// before it; the hours saved are what the baseline rate would have cost since the delivery, minus what was spent.
    /// </summary>
    public static AutomationImpactReport Compute(
        ToilAutomation automation, IReadOnlyList<ToilEntry> entries, DateTimeOffset now, int baselineWeeks)
    {
        var delivered = automation.DeliveredAt;
        var before = entries.Where(e => e.PerformedAt >= delivered.AddDays(-7 * baselineWeeks) && e.PerformedAt < delivered).Sum(e => e.Minutes);
        var after = entries.Where(e => e.PerformedAt >= delivered && e.PerformedAt <= now).Sum(e => e.Minutes);
        var weeklyBefore = (double)before / baselineWeeks;
        var weeksSince = Math.Max(0, (now - delivered).TotalDays / 7);
        double? weeklyAfter = weeksSince > 0 ? after / weeksSince : null;
        var saved = Math.Max(0, weeklyBefore * weeksSince - after) / 60;

        var weeks = new List<ToilWeek>();
        for (var start = delivered.AddDays(-7 * baselineWeeks); start < now; start = start.AddDays(7))
        {
            var end = start.AddDays(7);
            weeks.Add(new ToilWeek(start, entries.Where(e => e.PerformedAt >= start && e.PerformedAt < end).Sum(e => e.Minutes)));
        }
        return new AutomationImpactReport(automation.TaskKey, delivered, baselineWeeks, weeklyBefore, weeklyAfter, weeksSince, saved, weeks);
    }
}
