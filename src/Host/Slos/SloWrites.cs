using Marten;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Operations;

namespace Sre.Host.Slos;

/// <summary>The shared path of SLO definition changes: load the stream, decide, append, commit, answer the new state.</summary>
public static class SloWrites
{
    public static async Task<IResult> Decide(
        string name, IDocumentSession session, HttpContext http, Func<Slo, Decision> decide)
    {
        var stream = await session.Events.FetchForWriting<Slo>(SloIds.For(name), http.RequestAborted);
        if (stream.Aggregate is not { } slo) return Problems.NotFound($"No SLO named '{name}'.");
        var decision = decide(slo);
        if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);
        if (decision.Events.Count > 0)
        {
            stream.AppendMany(decision.Events);
            await session.SaveChangesAsync(http.RequestAborted);
        }
        return Results.Ok(await Stored(session, slo.Id, http.RequestAborted));
    }

    /// <summary>
    /// The snapshot with the stream's version: observations are appended to the SLO's stream but not folded into
    /// the snapshot, so the snapshot's own version lags behind the one stored (a write that changed nothing answers this).
    /// </summary>
    public static async Task<Slo?> Stored(IQuerySession session, Guid id, CancellationToken ct)
    {
        if (await session.LoadAsync<Slo>(id, ct) is not { } slo) return null;
        var state = await session.Events.FetchStreamStateAsync(id, ct);
        return slo with { Version = state?.Version ?? slo.Version };
    }

    /// <summary>Defines the SLO, or changes it to this definition; appends to the session without committing.</summary>
    public static async Task<(bool Created, Decision Decision)> Upsert(
        IDocumentSession session, SloDefinition definition, string by, DateTimeOffset now, CancellationToken ct)
    {
        var id = SloIds.For(definition.Name);
        var stream = await session.Events.FetchForWriting<Slo>(id, ct);
        var decision = stream.Aggregate is { } existing
            ? SloDecisions.Update(existing, definition, by, now)
            : SloDecisions.Define(null, definition, by, now);
        if (decision.Refusal is not null) return (false, decision);
        if (stream.Aggregate is null) session.Events.StartStream<Slo>(id, decision.Events);
        else stream.AppendMany(decision.Events);
        return (stream.Aggregate is null, decision);
    }

    public static async Task<IResult> Create(SloDefinition definition, string by, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var id = SloIds.For(definition.Name);
        var existing = await session.LoadAsync<Slo>(id, http.RequestAborted);
        var decision = SloDecisions.Define(existing, definition, by, clock.GetUtcNow());
        if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);
        session.Events.StartStream<Slo>(id, decision.Events);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Created($"/api/v1/slos/{definition.Name}", await session.LoadAsync<Slo>(id, http.RequestAborted));
    }
}
