using System.Text;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// Creates or updates SLOs from OpenSLO v1 YAML (one or many documents), all in one transaction: any error
/// answers 400 naming the document and field, and nothing is stored. Actor: <c>?by=</c>.
/// </summary>
public static class ImportOpenSloEndpoint
{
    [WolverinePost("/api/v1/slos/openslo")]
    // It commits itself, once every SLO is decided: a refused one leaves the others' events uncommitted, not stored.
    [NonTransactional]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Post(string? by, IDocumentSession session, TimeProvider clock, SloEvaluator evaluator, HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var result = OpenSloReader.Read(await reader.ReadToEndAsync(http.RequestAborted));
        if (result.Errors.Count > 0) return Problems.Invalid(result.Errors);

        var actor = Actor.Of(http, by);
        var now = clock.GetUtcNow();
        var outcome = new List<object>();
        foreach (var definition in result.Slos)
        {
            var (created, decision) = await SloWrites.Upsert(session, definition, actor, now, http.RequestAborted);
            if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);
            outcome.Add(new { name = definition.Name, created, changes = decision.Events.Count });
        }
        await session.SaveChangesAsync(http.RequestAborted);
        await evaluator.Evaluate(result.Slos.Select(s => SloIds.For(s.Name)), http.RequestAborted);
        return Results.Ok(outcome);
    }
}
