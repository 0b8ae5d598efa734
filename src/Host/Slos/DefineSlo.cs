using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>Defines a new SLO: 201 with its state, 409 when the name is taken.</summary>
public static class DefineSloEndpoint
{
    [WolverinePost("/api/v1/slos")]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Post(SloRequest request, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var errors = request.Check();
        if (errors.Count > 0) return Problems.Invalid(errors);
        return await SloWrites.Create(request.ToDefinition(), Actor.Of(http, request.By), session, clock, http);
    }
}
