using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>Retires an SLO: it takes no more data and leaves the list, but its history stays readable.</summary>
public static class RetireSloEndpoint
{
    [WolverineDelete("/api/v1/slos/{name}")]
    [Authorize(Policies.Admin)]
    public static Task<IResult> Delete(string name, string? by, IDocumentSession session, TimeProvider clock, HttpContext http) =>
        SloWrites.Decide(name, session, http, slo => SloDecisions.Retire(slo, Actor.Of(http, by), clock.GetUtcNow()));
}
