using Marten;
using Microsoft.AspNetCore.Authorization;
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

    [WolverineGet("/api/v1/slos/{name}/budget-history")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string name, string? from, string? to, string? step, IQuerySession session, SliceStore slices, TimeProvider clock, HttpContext http)
    {
        var args = new QueryArguments();
        var end = args.Time("to", to) ?? clock.GetUtcNow();
        var start = args.Time("from", from) ?? end.AddDays(-7);
        var every = args.Window("step", step, TimeSpan.FromHours(1));
        if (args.IsValid && start > end) args.Errors["from"] = ["must not be after to."];
        if (args.IsValid && (end - start) / every > MaxPoints) args.Errors["step"] = [$"gives more than {MaxPoints} points; take a longer step."];
        if (!args.IsValid) return Problems.Invalid(args.Errors);

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
