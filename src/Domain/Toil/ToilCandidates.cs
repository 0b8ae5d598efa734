namespace Sre.Domain.Toil;

/// <summary>One kind of toil over a window: how much it costs and how much of it could be automated.</summary>
public sealed record ToilCandidate(
    string TaskKey, int Minutes, int Occurrences, IReadOnlyList<string> Teams, double AutomatableShare,
    IReadOnlyList<ToilCategory> Categories, DateTimeOffset? AutomatedAt);

public static class ToilCandidates
{
    /// <summary>Task keys by total time, most first (ties: the more automatable first): where automation pays most.</summary>
    public static IReadOnlyList<ToilCandidate> Top(IEnumerable<ToilEntry> entries, IReadOnlyList<ToilAutomation> automations, int limit) =>
        entries
            .GroupBy(e => e.TaskKey)
            .Select(g =>
            {
                var minutes = g.Sum(e => e.Minutes);
                var automatable = g.Where(e => e.Traits.Contains(ToilTrait.Automatable)).Sum(e => e.Minutes);
                return new ToilCandidate(g.Key, minutes, g.Count(), g.Select(e => e.Team).Distinct().Order().ToList(),
                    minutes == 0 ? 0 : (double)automatable / minutes, g.Select(e => e.Category).Distinct().Order().ToList(),
                    automations.Where(a => a.TaskKey == g.Key).Select(a => (DateTimeOffset?)a.DeliveredAt).Max());
            })
            .OrderByDescending(c => c.Minutes)
            .ThenByDescending(c => c.AutomatableShare)
            .ThenBy(c => c.TaskKey, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
}
