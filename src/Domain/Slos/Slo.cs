using Sre.Domain.Incidents;

namespace Sre.Domain.Slos;

/// <summary>A definition and the instant from which it is in force.</summary>
public sealed record DefinitionInForce(DateTimeOffset From, SloDefinition Definition);

/// <summary>The write model of one SLO: its definition over time and the alert states the evaluator last recorded.</summary>
public sealed record Slo
{
    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Name { get; init; } = "";
    public string Service { get; init; } = "";
    public SloDefinition Definition { get; init; } = null!;
    public IReadOnlyList<DefinitionInForce> History { get; init; } = [];
    public Stamp Defined { get; init; } = new(DateTimeOffset.MinValue, "");
    public Stamp? Retired { get; init; }
    public IReadOnlyList<BurnCondition> FiringConditions { get; init; } = [];
    public bool BudgetExhausted { get; init; }
    /// <summary>
    /// When slices were last recorded. Not folded from SliObserved (an SLO stream is mostly observations, and the
    /// snapshot would be rewritten, and rebuilt, for each of them): GET /slos/{name} reads it from the hourly sums.
    /// </summary>
    public DateTimeOffset? LastObservationAt { get; init; }

    public bool IsRetired => Retired is not null;

    /// <summary>The definition in force at an instant, or null before the SLO existed.</summary>
    public SloDefinition? DefinitionAt(DateTimeOffset at) => History.LastOrDefault(h => h.From <= at)?.Definition;

    public static Slo Create(SloDefined e) => new()
    {
        Id = e.SloId,
        Name = e.Definition.Name,
        Service = e.Definition.Service,
        Definition = e.Definition,
        History = [new DefinitionInForce(e.At, e.Definition)],
        Defined = new Stamp(e.At, e.By),
    };

    public Slo Apply(SloTargetChanged e) => Redefine(Definition with { Target = e.To }, e.At);

    public Slo Apply(SloWindowChanged e) => Redefine(Definition with { Window = e.To }, e.At);

    public Slo Apply(SloRedefined e) => Redefine(e.Definition, e.At);

    public Slo Apply(SloRetired e) => this with { Retired = new Stamp(e.At, e.By) };

    public Slo Apply(BurnRateAlertRaised e) =>
        this with { FiringConditions = [.. FiringConditions, new BurnCondition(e.Severity, e.LongWindow, e.ShortWindow, e.Factor)] };

    public Slo Apply(BurnRateAlertCleared e)
    {
        var key = new BurnCondition(e.Severity, e.LongWindow, e.ShortWindow, e.Factor).Key;
        return this with { FiringConditions = FiringConditions.Where(c => c.Key != key).ToList() };
    }

    public Slo Apply(ErrorBudgetExhausted e) => this with { BudgetExhausted = true };

    public Slo Apply(ErrorBudgetRestored e) => this with { BudgetExhausted = false };

    private Slo Redefine(SloDefinition definition, DateTimeOffset at) => this with
    {
        Definition = definition,
        Service = definition.Service,
        History = [.. History, new DefinitionInForce(at, definition)],
    };
}
