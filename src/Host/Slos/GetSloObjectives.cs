using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// The objectives of an OpenSLO SLO of several (<c>name</c>: the SLO's OpenSLO name): each objective's numbers (its SLO is
/// <c>{slo}.{objective}</c>, with its own status, budget history, alerts and rules), and for a composite SLO (objectives each
/// with their own indicator) the composite's numbers as OpenSLO weighs them (<see cref="CompositeBudget"/>).
/// </summary>
/// <param name="Slo">The OpenSLO SLO's name.</param>
/// <param name="Composite">True when each objective has its own indicator.</param>
/// <param name="Objectives">Each objective: weight, remaining budget (1 = untouched, 0 = spent), SLI (ratio) and 1h burn rate.</param>
/// <param name="CompositeBudget">The composite's remaining budget, SLI and burn rates per window; null unless composite.</param>
public sealed record SloObjectivesAnswer(string Slo, bool Composite, IReadOnlyList<ObjectiveNumbers> Objectives, CompositeStatus? CompositeBudget);

public static class GetSloObjectivesEndpoint
{
    /// <summary>404 when no live SLO has objectives of that name.</summary>
    [WolverineGet("/api/v1/slos/{name}/objectives")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, IQuerySession session, SliceStore slices, TimeProvider clock, HttpContext http) =>
        await Objectives(name, session, slices, clock.GetUtcNow(), http.RequestAborted) is { } answer
            ? Results.Ok(answer)
            : Problems.NotFound($"No OpenSLO SLO of several objectives named '{name}'.");

    /// <summary>The objectives of <paramref name="name"/> at <paramref name="now"/>; null when it has none.</summary>
    public static async Task<SloObjectivesAnswer?> Objectives(string name, IQuerySession session, SliceStore slices, DateTimeOffset now, CancellationToken ct)
    {
        var parts = new List<ObjectivePart>();
        foreach (var slo in await OpenSloCatalog.Objectives(session, name, ct))
            if (await SloReads.StatusAt(slices, slo, now, ct) is { } status)
                parts.Add(new ObjectivePart(slo.Name, slo.Definition.Objective!, status));
        if (parts.Count == 0) return null;
        var combined = CompositeBudget.Combine(name, parts);
        var composite = parts[0].Objective.Composite;
        return new SloObjectivesAnswer(name, composite, combined.Objectives, composite ? combined : null);
    }
}
