using Marten;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// An SLO's numbers now, or with <c>?at=</c> at any past instant (judged by the definition then in force and
/// the data recorded by then): SLI, budget, burn rates per window, time to exhaustion and alert states.
/// </summary>
public static class GetSloStatusEndpoint
{
    [WolverineGet("/api/v1/slos/{name}/status")]
    public static async Task<IResult> Get(string name, string? at, IQuerySession session, SliceStore slices, TimeProvider clock, HttpContext http)
    {
        var args = new QueryArguments();
        var instant = args.Time("at", at) ?? clock.GetUtcNow();
        if (!args.IsValid) return Problems.Invalid(args.Errors);

        if (await session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted) is not { } slo)
            return Problems.NotFound($"No SLO named '{name}'.");
        return await SloReads.StatusAt(slices, slo, instant, http.RequestAborted) is { } status
            ? Results.Ok(status)
            : Problems.NotFound($"The SLO '{name}' was not defined yet at {instant:O}.");
    }
}
