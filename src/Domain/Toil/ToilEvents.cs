namespace Sre.Domain.Toil;

/// <summary>The six kinds of toil of the SRE book.</summary>
public enum ToilCategory
{
    BusinessProcesses,
    ProductionInterrupts,
    ReleaseShepherding,
    Migrations,
    CostEngineeringAndCapacityPlanning,
    Troubleshooting,
}

/// <summary>What makes work toil: each entry names the traits that apply.</summary>
public enum ToilTrait
{
    Manual,
    Repetitive,
    Automatable,
    Reactive,
    NoEnduringValue,
    GrowsWithService,
}

public interface IToilEvent;

/// <summary>Minutes of human effort spent on one task, by a team (and a person, when known).</summary>
public sealed record ToilRecorded(
    Guid EntryId, string Team, string? Who, ToilCategory Category, string TaskKey, int Minutes, DateTimeOffset PerformedAt,
    IReadOnlyList<ToilTrait> Traits, string? Link, DateTimeOffset At, string By) : IToilEvent;

/// <summary>From <see cref="EffectiveFrom"/> on, the team has this many engineers working this many hours a week.</summary>
public sealed record TeamCapacitySet(
    string Team, int Engineers, double HoursPerWeek, DateTimeOffset EffectiveFrom, DateTimeOffset At, string By) : IToilEvent;

/// <summary>An automation of a kind of toil went live.</summary>
public sealed record ToilAutomationDelivered(
    Guid AutomationId, string TaskKey, DateTimeOffset DeliveredAt, string? Description, DateTimeOffset At, string By) : IToilEvent;
