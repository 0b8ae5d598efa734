using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// A batch of SLI slices for one SLO: good and total (for rate SLOs only total counts; good may be left out), or the
/// <c>value</c> of a threshold or raw-ratio SLI. Sent to an OpenSLO SLO of several objectives that share its indicator,
/// each slice goes to every objective.
/// </summary>
public sealed record RecordObservations(IReadOnlyList<ObservedSlice> Slices, string? By = null);

public static class RecordObservationsEndpoint
{
    [WolverinePost("/api/v1/slos/{name}/observations")]
    [Authorize(Policies.Ingest)]
    public static async Task<IResult> Post(
        string name, RecordObservations request, IQuerySession query, ObservationWriter writer, HttpContext http)
    {
        var slo = await query.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted);
        var objectives = slo is { IsRetired: false } ? false
            : (await OpenSlo.OpenSloCatalog.Objectives(query, name, http.RequestAborted)).Count > 0;
        if (slo is null && !objectives) return Problems.NotFound($"No SLO named '{name}'.");
        if (slo is { IsRetired: true } && !objectives) return Problems.Conflict($"The SLO '{name}' is retired and takes no more data.");
        if (request.Slices.Count == 0) return Problems.Invalid("slices", "must hold at least one slice.");
        if (request.Slices.ToList().FindIndex(s => s is null) is var nullAt and >= 0)
            return Problems.Invalid($"slices[{nullAt}]", "must be a slice, not null.");

        var items = request.Slices.Select((s, i) => new ObservationItem(name, s, $"slices[{i}]")).ToList();
        var outcome = await writer.Record(items, Actor.Of(http, request.By), http.RequestAborted);
        if (outcome.Conflict is { } conflict) return Problems.Conflict(conflict);
        if (outcome.Result is null) return Problems.Invalid(outcome.Errors);
        return Results.Ok(outcome.Result);
    }
}
