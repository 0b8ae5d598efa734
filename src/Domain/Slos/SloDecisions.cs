using Sre.Domain.Incidents;

namespace Sre.Domain.Slos;

/// <summary>
/// The decisions on an SLO's definition. A change applies from its time on; history is kept. Each refusal (HTTP 409)
/// is its own function, which an endpoint checks before it decides; <see cref="Upsert"/> combines them for the writes
/// that define many SLOs at once.
/// </summary>
public static class SloDecisions
{
    public static Refusal? RefuseDefinition(Slo? existing, string name) =>
        existing is null ? null : new Refusal($"An SLO named '{name}' already exists; PUT /api/v1/slos/{name} changes it.");

    public static SloDefined Define(SloDefinition definition, string by, DateTimeOffset now) =>
        new(SloIds.For(definition.Name), definition, now, by);

    public static Refusal? RefuseChange(Slo existing) =>
        existing.IsRetired ? new Refusal($"The SLO '{existing.Name}' is retired.") : null;

    /// <summary>One event per kind of change; a definition equal to the current one appends nothing.</summary>
    public static IReadOnlyList<object> Update(Slo existing, SloDefinition definition, string by, DateTimeOffset now)
    {
        var current = existing.Definition;
        var events = new List<object>();
        if (current.Target != definition.Target) events.Add(new SloTargetChanged(current.Target, definition.Target, now, by));
        if (current.Window.Canonical() != definition.Window.Canonical()) events.Add(new SloWindowChanged(current.Window, definition.Window, now, by));
        if (!current.SameDetailsAs(definition)) events.Add(new SloRedefined(definition, now, by));
        return events;
    }

    /// <summary>Defines the SLO, or changes it to this definition.</summary>
    public static Decision Upsert(Slo? existing, SloDefinition definition, string by, DateTimeOffset now) =>
        existing is null ? Decision.Of(Define(definition, by, now))
        : RefuseChange(existing) is { } refusal ? Decision.Refuse(refusal.Reason)
        : new Decision(Update(existing, definition, by, now), null);

    public static Refusal? RefuseRetirement(Slo existing) =>
        existing.IsRetired ? new Refusal($"The SLO '{existing.Name}' is already retired.") : null;

    public static SloRetired Retire(string by, DateTimeOffset now) => new(now, by);
}
