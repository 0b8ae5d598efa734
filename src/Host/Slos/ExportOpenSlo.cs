using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos.OpenSlo;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>An SLO as an OpenSLO v1 document (application/yaml); importing it gives back the same SLO.</summary>
public static class ExportOpenSloEndpoint
{
    [WolverineGet("/api/v1/slos/{name}/openslo")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted) is { } slo
            ? Results.Text(OpenSloWriter.Write(slo.Definition), "application/yaml")
            : Problems.NotFound($"No SLO named '{name}'.");
}
