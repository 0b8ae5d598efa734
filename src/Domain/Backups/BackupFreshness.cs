using Sre.Domain.Slos;

namespace Sre.Domain.Backups;

public enum Freshness
{
    /// <summary>No completed backup yet, but the policy is younger than its RPO.</summary>
    Pending,
    Fresh,
    Stale,
}

/// <summary>Is the newest completed backup younger than the recovery point objective?</summary>
public static class BackupFreshness
{
    /// <summary>Judged at <paramref name="at"/> from the completions known then.</summary>
    public static Freshness At(IEnumerable<DateTimeOffset> completions, TimeSpan rpo, DateTimeOffset policySince, DateTimeOffset at)
    {
        var newest = completions.Where(c => c <= at).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        if (newest == DateTimeOffset.MinValue) return at - policySince > rpo ? Freshness.Stale : Freshness.Pending;
        return at - newest <= rpo ? Freshness.Fresh : Freshness.Stale;
    }

    public static Freshness Of(BackupTarget target, DateTimeOffset at) =>
        target.Policy is { } policy && target.PolicySince is { } since
            ? At(target.Completions.Append(target.NewestCompleted?.CompletedAt ?? DateTimeOffset.MinValue), policy.Rpo, since, at)
            : Freshness.Pending;

    /// <summary>
    /// The freshness SLI as one-minute slices over the whole minutes in [from, to): a slice is good when, at its end,
    /// the newest completed backup is younger than the RPO (a slice with no backup yet, within the RPO, is good).
    /// </summary>
    public static IReadOnlyList<SliceObservation> Slices(BackupTarget target, DateTimeOffset from, DateTimeOffset to)
    {
        var slices = new List<SliceObservation>();
        var start = Floor(from) == from ? from : Floor(from).AddMinutes(1);
        for (; start + TimeSpan.FromMinutes(1) <= to; start = start.AddMinutes(1))
        {
            var end = start.AddMinutes(1);
            var good = Of(target, end) != Freshness.Stale ? 1 : 0;
            slices.Add(new SliceObservation(start, end, good, 1));
        }
        return slices;
    }

    public static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
