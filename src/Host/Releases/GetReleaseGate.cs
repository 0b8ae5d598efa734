using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Domain.Releases;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Releases;

/// <summary>
/// May a release of the service go out now? Frozen while any of its SLOs (each objective of an OpenSLO SLO of several
/// is one) has spent its budget (with the time it comes back), or a composite SLO its weighted budget, unless overridden. Always 200: read <c>allowed</c>. A read and nothing else: a security or P0
/// release is recorded by <c>POST /api/v1/services/{service}/release-gate/bypasses</c>.
/// </summary>
public static class GetReleaseGateEndpoint
{
    [WolverineGet("/api/v1/services/{service}/release-gate")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string service, IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock,
        IOptions<SloPolicyOptions> policy, HttpContext http)
    {
        // This GET once recorded the release when asked with ?change=. Answering that question now without recording
        // would let an old deploy pipeline ship a security fix that no one hears of: it is refused, pointing at the POST.
        if (http.Request.Query.ContainsKey("change"))
            return Problems.Invalid("change",
                $"a GET records nothing: record a {string.Join(" or ", ReleaseGate.AlwaysAllowed)} release with POST /api/v1/services/{service}/release-gate/bypasses.");
        return Results.Ok(await Current(service, session, slices, cache, clock.GetUtcNow(), policy.Value.FreezeAtRemaining, http.RequestAborted));
    }

    /// <summary>The gate of the service at <paramref name="now"/>, from the cache when nothing it depends on changed.</summary>
    internal static async Task<GateDecision> Current(
        string service, IQuerySession session, SliceStore slices, ProjectionCache cache, DateTimeOffset now, double threshold, CancellationToken ct) =>
        // Deploy pipelines poll the gate: it is cached per minute, until an SLO or the service's releases change.
        (await cache.GetOrLoad(new CacheKey("release-gate", service, CacheTags.Minute(now)), [CacheTags.Slos, CacheTags.Releases],
            () => Evaluate(service, session, slices, now, threshold, ct)))!;

    private static async Task<GateDecision?> Evaluate(
        string service, IQuerySession session, SliceStore slices, DateTimeOffset now, double threshold, CancellationToken ct)
    {
        var exhausted = new List<FrozenBy>();
        var slos = await session.Query<Slo>().Where(s => s.Service == service).ToListAsync(ct);
        var composites = new Dictionary<string, List<ObjectivePart>>();
        foreach (var slo in slos.Where(s => !s.IsRetired))
        {
            if (await SloReads.Load(slices, slo, now, ct) is not { } data) continue;
            var status = SloCalculator.Compute(data.Definition, slo.CountsFrom, data.Slices, now);
            if (slo.Definition.Objective is { Composite: true } objective)
                (composites.TryGetValue(objective.Slo, out var parts) ? parts : composites[objective.Slo] = []).Add(new ObjectivePart(slo.Name, objective, status));
            if (status.NoData || status.Budget.Remaining > threshold) continue;
            exhausted.Add(new FrozenBy(slo.Name, status.Budget.Remaining,
                BudgetRecovery.When(data.Definition, slo.CountsFrom, data.Slices, now, threshold)));
        }

        // A composite SLO (OpenSLO) freezes too when its weighted budget is spent, though no objective alone is.
        foreach (var (name, parts) in composites)
            if (CompositeBudget.Combine(name, parts) is { RemainingBudget: var remaining } && remaining <= threshold && parts.Any(p => !p.Status.NoData))
                exhausted.Add(new FrozenBy(name, remaining, null));

        var releases = await session.LoadAsync<ServiceReleases>(ServiceReleases.IdFor(service), ct);
        return ReleaseGate.Decide(service, exhausted, releases?.ActiveOverride(now), null);
    }
}
