using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>One slice of a collector's batch, naming its SLO: good and total, or the value of a threshold or raw-ratio SLI (<see cref="ObservedSlice"/>).</summary>
public sealed record SloObservation(string Slo, DateTimeOffset Start, DateTimeOffset End, long Total = 0, long? Good = null, double? Value = null);

/// <summary>Slices for many SLOs in one batch, for collectors; all or nothing.</summary>
public sealed record RecordObservationBatch(IReadOnlyList<SloObservation> Observations, string? By = null);

public static class RecordObservationBatchEndpoint
{
    [WolverinePost("/api/v1/observations")]
    [Authorize(Policies.Ingest)]
    public static async Task<IResult> Post(RecordObservationBatch request, ObservationWriter writer, HttpContext http)
    {
        if (request.Observations.ToList().FindIndex(o => o is null) is var nullAt and >= 0)
            return Problems.Invalid($"observations[{nullAt}]", "must be an observation, not null.");
        var items = request.Observations
            .Select((o, i) => new ObservationItem(o.Slo, new ObservedSlice(o.Start, o.End, o.Total, o.Good, o.Value), $"observations[{i}]"))
            .ToList();
        if (items.Count == 0) return Problems.Invalid("observations", "must hold at least one observation.");
        var outcome = await writer.Record(items, Actor.Of(http, request.By), http.RequestAborted);
        if (outcome.Conflict is { } conflict) return Problems.Conflict(conflict);
        if (outcome.Result is null) return Problems.Invalid(outcome.Errors);
        return Results.Ok(outcome.Result);
    }
}
