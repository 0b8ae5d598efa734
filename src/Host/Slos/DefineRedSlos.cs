using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Sre.Host.Slos;

public sealed record RedTarget(double? Target = null, double? TargetPercent = null)
{
    public double? Ratio => Target ?? (TargetPercent is { } p ? ErrorBudget.RatioOf(p) : null);
}

public sealed record RedDuration(TimeSpan Threshold, double? Target = null, double? TargetPercent = null);

public sealed record RedRate(double MinPerMinute, double? MaxDrop = null, TimeSpan? DropWindow = null, double? Target = null, double? TargetPercent = null);

/// <summary>
/// The RED SLOs of a service in one call: errors (an availability SLO), duration (a latency SLO under a threshold)
/// and rate (slices good when the request rate holds up). The rate SLO's target, the share of good slices, defaults to 99%.
/// </summary>
public sealed record DefineRedSlos(RedTarget Errors, RedDuration Duration, RedRate Rate, SloWindow? Window = null, string? By = null);

public static class DefineRedSlosEndpoint
{
    [WolverinePost("/api/v1/services/{service}/red-slos")]
    // It commits itself, once every SLO is decided: a refused one leaves the others' events uncommitted, not stored.
    [NonTransactional]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Post(
        string service, DefineRedSlos request, IDocumentSession session, TimeProvider clock, SloEvaluator evaluator, HttpContext http)
    {
        var window = request.Window ?? SloWindow.Rolling(TimeSpan.FromDays(30));
        var labels = new Dictionary<string, string> { ["red"] = "true" };
        SloDefinition Slo(string suffix, SliSpec sli, double? target) => new(
            $"{service}-{suffix}", service, $"RED {suffix} of {service}", sli, target ?? double.NaN, window, Budgeting.Occurrences,
            labels, AlertingOptions.Default);
        var definitions = new[]
        {
            (Field: "errors", Definition: Slo("errors", new SliSpec(SliKind.Availability), request.Errors.Ratio)),
            (Field: "duration", Definition: Slo("duration", new SliSpec(SliKind.Latency, request.Duration.Threshold),
                request.Duration.Target ?? (request.Duration.TargetPercent is { } d ? ErrorBudget.RatioOf(d) : (double?)null))),
            (Field: "rate", Definition: Slo("rate",
                new SliSpec(SliKind.Rate, Rate: new RateRule(request.Rate.MinPerMinute, request.Rate.MaxDrop, request.Rate.DropWindow)),
                request.Rate.Target ?? (request.Rate.TargetPercent is { } r ? ErrorBudget.RatioOf(r) : (double?)null) ?? 0.99)),
        };

        var errors = new Dictionary<string, string[]>();
        foreach (var (field, definition) in definitions)
        foreach (var (key, messages) in SloRules.Check(definition))
            errors[key == "name" ? "service" : $"{field}.{key.Replace("sli.rate", "rate").Replace("sli.threshold", "threshold")}"] = messages;
        if (errors.Count > 0) return Problems.Invalid(errors);

        var now = clock.GetUtcNow();
        foreach (var (_, definition) in definitions)
        {
            var (_, decision) = await SloWrites.Upsert(session, definition, Actor.Of(http, request.By), now, http.RequestAborted);
            if (decision.Refusal is { } refusal) return Problems.Conflict(refusal.Reason);
        }
        await session.SaveChangesAsync(http.RequestAborted);
        var ids = definitions.Select(d => SloIds.For(d.Definition.Name)).ToArray();
        await evaluator.Evaluate(ids, http.RequestAborted);
        var stored = new List<Slo>();
        foreach (var id in ids) stored.Add((await SloWrites.Stored(session, id, http.RequestAborted))!);
        return Results.Ok(stored);
    }
}
