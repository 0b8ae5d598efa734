using Sre.Domain.Incidents;
using Sre.Domain.Slos.Alerting;

namespace Sre.Domain.Slos;

/// <summary>Why a pulled SLI is not pulled: the kind (Prometheus's <c>errorType</c>, or <c>definition</c>), the message, when.</summary>
public sealed record PullFault(string Kind, string Message, DateTimeOffset At);

/// <summary>A span of a pulled SLI's history with no data to be had (slices ending after From, up to To), and why.</summary>
public sealed record SliGap(DateTimeOffset From, DateTimeOffset To, string Reason);

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

    /// <summary>The end of the last slice asked of Prometheus, for a pulled SLI; null before its first pull.</summary>
    public DateTimeOffset? PulledThrough { get; init; }

    /// <summary>Where the pulled history starts (the first pull's start); null for an SLI that is not pulled.</summary>
    public DateTimeOffset? PulledFrom { get; init; }

    /// <summary>Spans of the pulled history Prometheus no longer held (<see cref="SliGapRecorded"/>), oldest first.</summary>
    public IReadOnlyList<SliGap> Gaps { get; init; } = [];

    /// <summary>Why the SLI is not pulled, until it is redefined.</summary>
    public PullFault? PullFault { get; init; }

    /// <summary>
    /// The budget events recorded (<see cref="BudgetEventRecorded"/>, as extended since), oldest first: those that ended
    /// within <see cref="BudgetEventsKept"/> of the newest one's end, so the snapshot stays small.
    /// </summary>
    public IReadOnlyList<BudgetEvent> BudgetEvents { get; init; } = [];

    /// <summary>How far back from the newest budget event's end the snapshot keeps the others (the longest alert-quality window).</summary>
    public static readonly TimeSpan BudgetEventsKept = TimeSpan.FromDays(90);

    public bool IsRetired => Retired is not null;

    /// <summary>
    /// The first instant whose slices count: when the SLO was defined (a new SLO starts with its whole budget), or, for a
    /// pulled SLI, where its history starts, when that is earlier (it starts where its history puts it).
    /// </summary>
    public DateTimeOffset CountsFrom => PulledFrom is { } from && from < Defined.At ? from : Defined.At;

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

    public Slo Apply(SloRedefined e) => Redefine(e.Definition, e.At) is var next && next.Definition.Sli.SamePullAs(Definition.Sli)
        ? next
        // New queries (or source): the history is pulled again, and a fault of the old ones is gone.
        : next with { PulledThrough = null, PullFault = null, Gaps = [] };

    public Slo Apply(SliPulled e) => this with { PulledThrough = e.Through, PulledFrom = PulledFrom ?? e.From };

    public Slo Apply(SliGapRecorded e) => this with { Gaps = [.. Gaps, new SliGap(e.From, e.To, e.Reason)] };

    public Slo Apply(SliPullFaulted e) => this with { PullFault = new PullFault(e.Kind, e.Message, e.At) };

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

    public Slo Apply(BudgetEventRecorded e) => KeepBudgetEvents([.. BudgetEvents, e.Event]);

    public Slo Apply(BudgetEventExtended e) => KeepBudgetEvents([.. BudgetEvents.Where(r => !e.Extends.Contains(r)), e.Event]);

    private Slo KeepBudgetEvents(IEnumerable<BudgetEvent> events)
    {
        var all = events.OrderBy(b => b.Start).ToList();
        var newest = all.Max(b => b.End);
        return this with { BudgetEvents = all.Where(b => b.End >= newest - BudgetEventsKept).ToList() };
    }

    private Slo Redefine(SloDefinition definition, DateTimeOffset at) => this with
    {
        Definition = definition,
        Service = definition.Service,
        History = [.. History, new DefinitionInForce(at, definition)],
    };
}
