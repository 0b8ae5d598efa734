using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Operations;
using Sre.Host.Slos.Prometheus;
using Wolverine;
using Wolverine.Http;
using Wolverine.Persistence.EventSourcing;

namespace Sre.Host.Slos;

public sealed record RedTarget(double? Target = null, double? TargetPercent = null)
{
    public double? Ratio => Target ?? (TargetPercent is { } p ? ErrorBudget.RatioOf(p) : null);
}

public sealed record RedDuration(TimeSpan Threshold, double? Target = null, double? TargetPercent = null);

public sealed record RedRate(double MinPerMinute, double? MaxDrop = null, TimeSpan? DropWindow = null, double? Target = null, double? TargetPercent = null);

/// <summary>
/// Where the RED SLIs are pulled from: a Prometheus data source (<c>default</c>, or a name under
/// <c>Prometheus:Sources</c>) and the metrics (<c>istio</c> or <c>http</c>), of the service's name or of a given label
/// selector (<c>destination_service="checkout.shop.svc.cluster.local"</c>); <c>grpc</c> counts gRPC failure statuses as errors.
/// </summary>
public sealed record RedSource(string Prometheus = "default", RedMetrics Mesh = RedMetrics.Istio, string? Selector = null, bool Grpc = false);

/// <summary>
/// The RED SLOs of a service in one call: errors (an availability SLO), duration (a latency SLO under a threshold)
/// and rate (slices good when the request rate holds up). The rate SLO's target, the share of good slices, defaults to 99%.
/// With a <see cref="Source"/>, their SLIs are PromQL (<see cref="RedQueries"/>) pulled from that data source; without,
/// slices are pushed.
/// </summary>
public sealed record DefineRedSlos(
    RedTarget Errors, RedDuration Duration, RedRate Rate, SloWindow? Window = null, string? By = null, RedSource? Source = null)
{
    public static string Name(string service, string field) => $"{service}-{field}";

    /// <summary>The three definitions, each with the field of the request it comes from.</summary>
    public IReadOnlyList<(string Field, SloDefinition Definition)> For(string service)
    {
        var window = Window ?? SloWindow.Rolling(TimeSpan.FromDays(30));
        var labels = new Dictionary<string, string> { ["red"] = "true" };
        SloDefinition Slo(string suffix, SliSpec sli, double? target) => new(
            Name(service, suffix), service, $"RED {suffix} of {service}", sli, target ?? double.NaN, window, Budgeting.Occurrences,
            labels, AlertingOptions.Default);
        var q = Source is { } s ? RedQueries.For(s.Mesh, service, s.Selector, Duration.Threshold, s.Grpc) : null;
        var source = Source?.Prometheus;
        return
        [
            (Field: "errors", Definition: Slo("errors",
                new SliSpec(SliKind.Availability, BadQuery: q?.Errors, TotalQuery: q?.Requests, DataSource: source), Errors.Ratio)),
            (Field: "duration", Definition: Slo("duration",
                new SliSpec(SliKind.Latency, Duration.Threshold, GoodQuery: q?.FastEnough, TotalQuery: q?.Timed, DataSource: source),
                Duration.Target ?? (Duration.TargetPercent is { } d ? ErrorBudget.RatioOf(d) : (double?)null))),
            (Field: "rate", Definition: Slo("rate",
                new SliSpec(SliKind.Rate, Rate: new RateRule(Rate.MinPerMinute, Rate.MaxDrop, Rate.DropWindow), TotalQuery: q?.Requests,
                    DataSource: source),
                Rate.Target ?? (Rate.TargetPercent is { } r ? ErrorBudget.RatioOf(r) : (double?)null) ?? 0.99)),
        ];
    }
}

/// <summary>
/// Defines or changes the three SLOs in one transaction, then evaluates them: 200 with each as stored. Their names
/// follow from the service's, so their three streams are the endpoint's write models.
/// </summary>
public static class DefineRedSlosEndpoint
{
    public static Guid ErrorsId(string service) => SloIds.For(DefineRedSlos.Name(service, "errors"));
    public static Guid DurationId(string service) => SloIds.For(DefineRedSlos.Name(service, "duration"));
    public static Guid RateId(string service) => SloIds.For(DefineRedSlos.Name(service, "rate"));

    /// <summary>400 naming the field of the request; 409 when one of the three SLOs was retired.</summary>
    public static ProblemDetails Validate(string service, DefineRedSlos request, Slo? errors, Slo? duration, Slo? rate)
    {
        var invalid = new Dictionary<string, string[]>();
        if (request.Source is { } source)
        {
            if (!FieldRules.IsName(source.Prometheus)) invalid["source.prometheus"] = ["must be a data source's name, e.g. default."];
            if (source.Selector is { } selector && (selector.Length == 0 || selector.IndexOfAny(['{', '}']) >= 0))
                invalid["source.selector"] = ["must be label matchers without braces, e.g. destination_service=\"checkout.shop.svc.cluster.local\"."];
            if (invalid.Count > 0) return Problems.InvalidDetails(invalid);
        }
        foreach (var (field, definition) in request.For(service))
        foreach (var (key, messages) in SloRules.Check(definition))
            invalid[key == "name" ? "service" : $"{field}.{key.Replace("sli.rate", "rate").Replace("sli.threshold", "threshold")}"] =
                messages;
        if (invalid.Count > 0) return Problems.InvalidDetails(invalid);
        foreach (var slo in new[] { errors, duration, rate })
            if (slo is not null && SloDecisions.RefuseChange(slo) is { } refusal) return Problems.ConflictDetails(refusal.Reason);
        return WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/v1/services/{service}/red-slos")]
    [Authorize(Policies.Admin)]
    public static async Task<SloAnswer> Post(
        string service, DefineRedSlos request,
        [WriteModel(FromMethod = nameof(ErrorsId), Required = false)] IEventStream<Slo> errors,
        [WriteModel(FromMethod = nameof(DurationId), Required = false)] IEventStream<Slo> duration,
        [WriteModel(FromMethod = nameof(RateId), Required = false)] IEventStream<Slo> rate,
        TimeProvider clock, IMessageBus bus, HttpContext http)
    {
        var (by, now) = (Actor.Of(http, request.By), clock.GetUtcNow());
        var definitions = request.For(service);
        foreach (var (stream, (_, definition)) in new[] { errors, duration, rate }.Zip(definitions))
            stream.AppendMany(SloDecisions.Upsert(stream.Aggregate, definition, by, now).Events);
        // Evaluated once the definitions commit (the bus is enrolled in the endpoint's transaction).
        await bus.EvaluateOnCommit([errors.Id, duration.Id, rate.Id]);
        await bus.PullOnCommit(new[] { errors.Id, duration.Id, rate.Id }.Zip(definitions.Select(d => d.Definition)));
        return SloAnswer.Stored(definitions.Select(d => d.Definition.Name).ToList());
    }
}
