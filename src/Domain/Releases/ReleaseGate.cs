namespace Sre.Domain.Releases;

/// <summary>An SLO of the service whose budget is spent, and when it comes back if no more errors happen.</summary>
public sealed record FrozenBy(string Slo, double RemainingBudget, DateTimeOffset? BudgetBackAt);

public sealed record GateDecision(
    string Service, bool Allowed, bool Frozen, IReadOnlyList<string> Reasons, IReadOnlyList<FrozenBy> ExhaustedSlos,
    GateOverride? Override, string? Change);

/// <summary>
/// The error budget policy: releases freeze while any SLO of the service has spent its budget, except security
/// and P0 fixes; an override (who, why, until) lets releases through until it expires.
/// </summary>
public static class ReleaseGate
{
    public static readonly string[] AlwaysAllowed = ["security", "p0"];

    public static GateDecision Decide(string service, IReadOnlyList<FrozenBy> exhausted, GateOverride? activeOverride, string? change)
    {
        var frozen = exhausted.Count > 0;
        var reasons = exhausted
            .Select(e => $"SLO '{e.Slo}' has spent its error budget ({e.RemainingBudget:P1} remaining)"
                + (e.BudgetBackAt is { } back ? $"; it comes back at {back:O} if no more errors happen." : "."))
            .ToList();
        var allowed = !frozen;
        if (frozen && change is not null && AlwaysAllowed.Contains(change))
        {
            allowed = true;
            reasons.Add($"A {change} change is always allowed.");
        }
        else if (frozen && activeOverride is not null)
        {
            allowed = true;
            reasons.Add($"Overridden by {activeOverride.By} until {activeOverride.Until:O}: {activeOverride.Reason}");
        }
        if (!frozen) reasons.Add("Every SLO of the service has error budget left.");
        return new GateDecision(service, allowed, frozen, reasons, exhausted, activeOverride, change);
    }
}
