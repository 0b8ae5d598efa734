namespace Sre.Domain.Slos;

public sealed record ImpactWindow(DateTimeOffset From, DateTimeOffset To, decimal Good, decimal Total, double? ErrorRatio, double? BurnRate);

public sealed record SloImpact(string Slo, double Target, ImpactWindow Before, ImpactWindow After);

/// <summary>An SLO's error ratio and burn rate in a window before a deployment and the same window after it.</summary>
public static class DeploymentImpact
{
    public static SloImpact Compute(string name, SloDefinition before, SloDefinition after, DateTimeOffset definedAt,
        IReadOnlyList<SliceObservation> slices, DateTimeOffset deployedAt, TimeSpan window)
    {
        ImpactWindow Window(SloDefinition def, DateTimeOffset from, DateTimeOffset to)
        {
            var units = SliceUnits.Of(def, slices.Where(s => s.Start >= definedAt && s.End > from && s.End <= to).OrderBy(s => s.End).ToList());
            var tally = SliceUnits.Tally(def.Budgeting, units);
            return new ImpactWindow(from, to, tally.Good, tally.Total, tally.ErrorRatio,
                ErrorBudget.BurnRate(def, to - from, tally) is { } burn ? (double)burn : null);
        }
        return new SloImpact(name, after.Target,
            Window(before, deployedAt - window, deployedAt),
            Window(after, deployedAt, deployedAt + window));
    }
}
