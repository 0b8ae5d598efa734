using Marten;
using Sre.Domain.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// What an SLO write answers, worked out when Wolverine executes the answer: after it committed the write, so what
/// this reads is what is stored. An SLO is answered as <see cref="SloReads.Stored"/> reads it, with its stream's
/// version (Wolverine's <c>UpdatedAggregate</c> reads after the commit too, but answers the snapshot's own version,
/// which observations leave behind). Changed definitions are evaluated before the answer goes out, so the alerts they
/// raise or clear are recorded when the client hears of the change.
/// </summary>
public sealed class SloAnswer(Func<IServiceProvider, CancellationToken, Task<IResult>> answer) : IResult
{
    /// <summary>201 with the new SLO.</summary>
    public static SloAnswer Created(string name) =>
        new(async (services, ct) => Results.Created($"/api/v1/slos/{name}", await Stored(services, name, ct)));

    /// <summary>200 with the SLO as the write left it.</summary>
    public static SloAnswer Changed(string name) =>
        new(async (services, ct) => Results.Ok(await Stored(services, name, ct)));

    /// <summary>200 with the SLO as its new definition left it, once that definition is evaluated.</summary>
    public static SloAnswer Redefined(string name) => new(async (services, ct) =>
    {
        var slo = await Stored(services, name, ct);
        await services.GetRequiredService<SloEvaluator>().Evaluate([SloIds.For(name)], ct);
        return Results.Ok(slo);
    });

    /// <summary>The SLOs evaluated, then 200 with <paramref name="body"/>, or with each SLO as stored after the evaluation.</summary>
    public static SloAnswer Evaluated(IReadOnlyList<string> names, object? body = null) => new(async (services, ct) =>
    {
        await services.GetRequiredService<SloEvaluator>().Evaluate(names.Select(SloIds.For), ct);
        if (body is not null) return Results.Ok(body);
        var stored = new List<Slo>();
        foreach (var name in names) stored.Add((await Stored(services, name, ct))!);
        return Results.Ok(stored);
    });

    public async Task ExecuteAsync(HttpContext http) =>
        await (await answer(http.RequestServices, http.RequestAborted)).ExecuteAsync(http);

    private static Task<Slo?> Stored(IServiceProvider services, string name, CancellationToken ct) =>
        SloReads.Stored(services.GetRequiredService<IQuerySession>(), SloIds.For(name), ct);
}
