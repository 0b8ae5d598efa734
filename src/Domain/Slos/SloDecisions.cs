using Sre.Domain.Incidents;

namespace Sre.Domain.Slos;

/// <summary>The decisions on an SLO's definition. A change applies from its time on; history is kept.</summary>
public static class SloDecisions
{
    public static Decision Define(Slo? existing, SloDefinition definition, string by, DateTimeOffset now) =>
        existing is null
            ? Decision.Of(new SloDefined(SloIds.For(definition.Name), definition, now, by))
            : Decision.Refuse($"An SLO named '{definition.Name}' already exists; PUT /api/v1/slos/{definition.Name} changes it.");

    /// <summary>One event per kind of change; a definition equal to the current one appends nothing.</summary>
    public static Decision Update(Slo existing, SloDefinition definition, string by, DateTimeOffset now)
    {
        if (existing.IsRetired) return Decision.Refuse($"The SLO '{existing.Name}' is retired.");
        var current = existing.Definition;
        var events = new List<object>();
        if (current.Target != definition.Target) events.Add(new SloTargetChanged(current.Target, definition.Target, now, by));
        if (current.Window != definition.Window) events.Add(new SloWindowChanged(current.Window, definition.Window, now, by));
        if (!current.SameDetailsAs(definition)) events.Add(new SloRedefined(definition, now, by));
        return Decision.Of([.. events]);
    }

    public static Decision Retire(Slo existing, string by, DateTimeOffset now) =>
        existing.IsRetired
            ? Decision.Refuse($"The SLO '{existing.Name}' is already retired.")
            : Decision.Of(new SloRetired(now, by));
}
