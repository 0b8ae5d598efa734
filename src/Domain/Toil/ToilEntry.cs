using Sre.Domain.Incidents;

namespace Sre.Domain.Toil;

/// <summary>One recorded piece of toil (its own stream: entries are independent and never change).</summary>
public sealed record ToilEntry
{
    private static readonly Guid Namespace = new("6f0d6a43-1c51-4c7e-8f43-5b8f3f2f9d17");

    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Team { get; init; } = "";
    public string? Who { get; init; }
    public ToilCategory Category { get; init; }
    public string TaskKey { get; init; } = "";
    public int Minutes { get; init; }
    public DateTimeOffset PerformedAt { get; init; }
    public IReadOnlyList<ToilTrait> Traits { get; init; } = [];
    public string? Link { get; init; }
    public Stamp Recorded { get; init; } = new(DateTimeOffset.MinValue, "");

    /// <summary>The id of an entry the caller did not name: a resend of the same entry is a duplicate.</summary>
    public static Guid IdFor(string team, string taskKey, DateTimeOffset performedAt, string? who, string? link) =>
        NameBasedGuid.Create(Namespace, $"{team}\n{taskKey}\n{performedAt.UtcTicks}\n{who}\n{link}");

    public static ToilEntry Create(ToilRecorded e) => new()
    {
        Id = e.EntryId,
        Team = e.Team,
        Who = e.Who,
        Category = e.Category,
        TaskKey = e.TaskKey,
        Minutes = e.Minutes,
        PerformedAt = e.PerformedAt,
        Traits = e.Traits,
        Link = e.Link,
        Recorded = new Stamp(e.At, e.By),
    };
}

/// <summary>A team and its capacity over time, so a past week is judged by the team as it was then.</summary>
public sealed record Team
{
    private static readonly Guid Namespace = new("b3c1f9e2-7a4d-4e8b-9c2f-1d6e5a4b3c21");

    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Name { get; init; } = "";
    public IReadOnlyList<TeamCapacity> Capacity { get; init; } = [];

    public static Guid IdFor(string team) => NameBasedGuid.Create(Namespace, team);

    public static Team Create(TeamCapacitySet e) => new Team { Id = IdFor(e.Team), Name = e.Team }.Apply(e);

    public Team Apply(TeamCapacitySet e) => this with
    {
        Capacity = [.. Capacity.Where(c => c.EffectiveFrom != e.EffectiveFrom).Append(new TeamCapacity(e.EffectiveFrom, e.Engineers, e.HoursPerWeek))
            .OrderBy(c => c.EffectiveFrom)],
    };

    /// <summary>The capacity in force at an instant, or null before the first.</summary>
    public TeamCapacity? At(DateTimeOffset instant) => Capacity.LastOrDefault(c => c.EffectiveFrom <= instant);
}

public sealed record TeamCapacity(DateTimeOffset EffectiveFrom, int Engineers, double HoursPerWeek);

/// <summary>An automation of one task key, delivered at a known time.</summary>
public sealed record ToilAutomation
{
    public Guid Id { get; init; }
    public long Version { get; set; }
    public string TaskKey { get; init; } = "";
    public DateTimeOffset DeliveredAt { get; init; }
    public string? Description { get; init; }
    public Stamp Recorded { get; init; } = new(DateTimeOffset.MinValue, "");

    public static ToilAutomation Create(ToilAutomationDelivered e) => new()
    {
        Id = e.AutomationId,
        TaskKey = e.TaskKey,
        DeliveredAt = e.DeliveredAt,
        Description = e.Description,
        Recorded = new Stamp(e.At, e.By),
    };
}
