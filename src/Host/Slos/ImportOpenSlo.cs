using System.Text;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// Creates or updates SLOs from OpenSLO v1 YAML (one or many documents), all in one transaction: any error
/// answers 400 naming the document and field, and nothing is stored. Actor: <c>?by=</c>.
/// Not on the aggregate workflow: it writes as many SLO streams as the documents define (<see cref="SloUpserts"/>).
/// </summary>
public static class ImportOpenSloEndpoint
{
    [WolverinePost("/api/v1/slos/openslo")]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Post(string? by, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var result = OpenSloReader.Read(await reader.ReadToEndAsync(http.RequestAborted));
        if (result.Errors.Count > 0) return Problems.Invalid(result.Errors);

        var (upserts, refused) = await SloUpserts.Append(session, result.Slos, Actor.Of(http, by), clock.GetUtcNow(), http.RequestAborted);
        if (refused is { } refusal) return Problems.Conflict(refusal.Reason);
        return SloAnswer.Evaluated(result.Slos.Select(s => s.Name).ToList(),
            upserts.Select(u => new { name = u.Definition.Name, created = u.Created, changes = u.Decision.Events.Count }).ToList());
    }
}
