using Sre.Domain.Slos;

namespace Sre.Domain.Backups;

/// <summary>The SLOs a backup target carries, defined from its policy like any other SLO.</summary>
public static class BackupSlos
{
    public static string FreshnessName(string target) => $"{target}-backup-freshness";
    public static string DurabilityName(string target) => $"{target}-backup-durability";

    public static IReadOnlyList<SloDefinition> For(string target, BackupPolicy policy)
    {
        if (policy.Slos is not { } slos) return [];
        var window = SloWindow.Rolling(slos.Window ?? BackupRules.DefaultSloWindow);
        var labels = new Dictionary<string, string> { ["backup_target"] = target, ["backup_kind"] = policy.Kind.ToString().ToLowerInvariant() };
        var definitions = new List<SloDefinition>();
        if (slos.Freshness is { } freshness)
            definitions.Add(new SloDefinition(FreshnessName(target), target,
                $"Minutes in which the newest completed backup of {target} is younger than its RPO of {Time.PromDuration.Format(policy.Rpo)}.",
                new SliSpec(SliKind.Freshness, Threshold: policy.Rpo), freshness, window, Budgeting.Occurrences, labels, AlertingOptions.Default));
        if (slos.Durability is { } durability)
            definitions.Add(new SloDefinition(DurabilityName(target), target,
                $"Restore tests of {target}'s backups that succeeded.",
                new SliSpec(SliKind.Durability), durability, window, Budgeting.Occurrences, labels, AlertingOptions.Default));
        return definitions;
    }

    /// <summary>A restore test is one event of the durability SLI, in a one-millisecond slice starting when it was tested.</summary>
    public static SliceObservation RestoreSlice(RestoreTested t) =>
        new(t.TestedAt, t.TestedAt.AddMilliseconds(1), t.Succeeded ? 1 : 0, 1);
}
