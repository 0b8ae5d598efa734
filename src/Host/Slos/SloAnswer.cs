using Marten;
using Sre.Domain.Slos;

namespace Sre.Host.Slos;

/// <summary>
/// What an SLO write answers, worked out when Wolverine executes the answer: after it committed the write, so what
/// this reads is what is stored. An SLO is answered as <see cref="SloReads.Stored"/> reads it, with its stream's
/// version (Wolverine's <c>UpdatedAggregate</c> reads after the commit too, but answers the snapshot's own version,
/// which observations leave behind). Changed definitions are evaluated by <see cref="EvaluateSlo"/> messages the write
/// queues in its transaction.
/// </summary>
public sealed class SloAnswer(Func<IServiceProvider, CancellationToken, Task<IResult>> answer) : IResult
{
    /// <summary>201 with the new SLO.</summary>
    public static SloAnswer Created(string name) =>
        new(async (services, ct) => Results.Created($"/api/v1/slos/{name}", await Stored(services, name, ct)));

    /// <summary>200 with the SLO as the write left it.</summary>
    public static SloAnswer Changed(string name) =>
        new(async (services, ct) => Results.Ok(await Stored(services, name, ct)));

    /// <summary>200 with <paramref name="body"/>, or with each SLO as stored.</summary>
    public static SloAnswer Stored(IReadOnlyList<string> names, object? body = null) => new(async (services, ct) =>
    {
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
