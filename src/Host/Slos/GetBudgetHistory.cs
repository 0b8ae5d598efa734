using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Deployments;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

public sealed record BudgetHistory(IReadOnlyList<BudgetPoint> Points, IReadOnlyList<Deployment> Deployments);

public sealed record BudgetPoint(DateTimeOffset At, double RemainingBudget, double? Sli, bool NoData, IReadOnlyList<WindowBurn> BurnRates);

/// <summary>
/// Remaining budget, SLI and burn rates as they stood at each step from <c>from</c> to <c>to</c> (default: the last 7 days,
/// hourly), with the service's deployments in that range as markers.
/// </summary>
public static class GetBudgetHistoryEndpoint
{
    private const int MaxPoints = 2000;

    /// <summary>The range asked for, its gaps filled with the defaults.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End, TimeSpan Every) Range(
        Instant? from, Instant? to, Duration? step, TimeProvider clock)
    {
        var end = to?.Value ?? clock.GetUtcNow();
        return (from?.Value ?? end.AddDays(-7), end, step?.Value ?? TimeSpan.FromHours(1));
    }

    public static ProblemDetails Validate(Instant? from, Instant? to, Duration? step, TimeProvider clock)
    {
        var (start, end, every) = Range(from, to, step, clock);
        if (start > end) return Problems.InvalidDetails("from", "must not be after to.");
        if ((end - start) / every > MaxPoints)
            return Problems.InvalidDetails("step", $"gives more than {MaxPoints} points; take a longer step.");
        return WolverineContinue.NoProblems;
    }

    [WolverineGet("/api/v1/slos/{name}/budget-history")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string name, Instant? from, Instant? to, Duration? step, IQuerySession session, SliceStore slices, TimeProvider clock, HttpContext http)
    {
        var (start, end, every) = Range(from, to, step, clock);
        if (await session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted) is not { } slo)
            return Problems.NotFound($"No SLO named '{name}'.");
        var instants = new List<DateTimeOffset>();
        for (var t = start; t <= end; t += every) instants.Add(t);
        var history = await SloReads.History(slices, slo, instants, http.RequestAborted);
        var deployments = await session.Query<Deployment>()
            // Recorded by the end too: a deployment reported later was not on the chart as it stood then.
            .Where(d => d.Service == slo.Service && d.DeployedAt >= start && d.DeployedAt <= end && d.Recorded.At <= end)
            .OrderBy(d => d.DeployedAt)
            .ToListAsync(http.RequestAborted);
        return Results.Ok(new BudgetHistory(
            history.Select(s => new BudgetPoint(s.At, s.Budget.Remaining, s.Sli.Ratio, s.NoData, s.BurnRates)).ToList(), deployments));
    }
}
