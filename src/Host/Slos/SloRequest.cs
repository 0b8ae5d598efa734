using Sre.Domain.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// An SLO definition as clients send it (POST and PUT). The target is a ratio (<c>target</c>: 0.999) or a
/// percent (<c>targetPercent</c>: 99.9); budgeting defaults to Occurrences, alerting to the workbook's table.
/// </summary>
public sealed record SloRequest(
    string Name,
    string Service,
    SliSpec Sli,
    SloWindow Window,
    string? By = null,
    double? Target = null,
    double? TargetPercent = null,
    string? Description = null,
    Budgeting? Budgeting = null,
    Dictionary<string, string>? Labels = null,
    AlertingOptions? Alerting = null)
{
    public SloDefinition ToDefinition() => new SloDefinition(
        Name,
        Service,
        Description,
        Sli,
        Target ?? (TargetPercent is { } p ? ErrorBudget.RatioOf(p) : double.NaN),
        Window,
        Budgeting ?? Domain.Slos.Budgeting.Occurrences,
        Labels ?? new Dictionary<string, string>(),
        Alerting ?? AlertingOptions.Default).Canonical();

    public Dictionary<string, string[]> Check()
    {
        var errors = SloRules.Check(ToDefinition());
        if (Target is not null && TargetPercent is not null) errors["targetPercent"] = ["give target or targetPercent, not both."];
        if (Target is null && TargetPercent is null) errors["target"] = ["is required (or targetPercent)."];
        return errors;
    }
}
