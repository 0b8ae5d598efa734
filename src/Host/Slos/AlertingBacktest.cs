using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// Backtests alerting strategies (SRE workbook, ch. 5 "Alerting on SLOs") over a range of an SLO's stored slices:
/// each strategy's alerts as an evaluator running every <c>step</c> from <c>from</c> to <c>to</c> would have raised
/// them, and their quality against the budget events of the range (<see cref="AlertingBacktestAnswer"/>). The data is
/// taken as stored (hindsight: late slices count); the definition is the one in force at <c>to</c>, and the SLO's own
/// conditions go through the live evaluator's function, so a backtest of multiWindowMultiBurnRate over a period with
/// that definition gives the alerts the evaluator recorded (BurnRateAlertRaised and Cleared) at the same instants.
/// Errors: 400 naming the field (<see cref="AlertingBacktestRequest.Check"/>), 404 for an unknown SLO.
/// Scope <c>read</c>: it is a query (it stores nothing); POST only because its parameters are a structured body.
/// </summary>
public static class AlertingBacktestEndpoint
{
    public static Task<Slo?> LoadAsync(string name, IQuerySession session, HttpContext http) =>
        session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted);

    public static ProblemDetails Validate(string name, AlertingBacktestRequest request, Slo? slo, TimeProvider clock)
    {
        if (slo is null) return Problems.NotFoundDetails($"No SLO named '{name}'.");
        var errors = request.Check(slo, clock.GetUtcNow());
        return errors.Count > 0 ? Problems.InvalidDetails(errors) : WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/v1/slos/{name}/alerting-backtest")]
    [Authorize(Policies.Read)]
    public static async Task<AlertingBacktestAnswer> Post(AlertingBacktestRequest request, Slo slo, SliceStore store, HttpContext http)
    {
        var (from, to, step) = (request.From!.Value, request.To!.Value, request.StepOrDefault);
        var definition = slo.DefinitionAt(to)!;
        var period = SloPeriod.At(definition.Window, to).Length;
        var strategies = request.ToStrategies(period);
        var significance = request.ToSignificance();

        // The slices reach back from `from` by the longest window any rule or significance rule looks over.
        var longest = strategies.SelectMany(s => s.Rules).Select(r => r.Condition.LongWindow)
            .Concat((definition.Alerting.Conditions ?? BurnRateMath.DefaultConditions(period)).Select(c => c.LongWindow))
            .Concat(significance.Select(r => r.Within))
            .Max();
        var slices = await store.Read(slo.Id, from - longest - (definition.Sli.Rate?.DropWindow ?? TimeSpan.Zero), to, http.RequestAborted);
        var result = AlertingBacktest.Run(definition, slo.CountsFrom, slices.Select(s => s.ToObservation()), from, to, step,
            strategies, significance, request.Grace);
        return AlertingBacktestAnswer.Of(slo.Name, result, significance, request.Grace ?? AlertMeasures.DefaultGrace);
    }
}
