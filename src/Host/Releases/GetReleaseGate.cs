using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Releases;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Releases;

/// <summary>
/// May a release of the service go out now? Frozen while any of its SLOs has spent its budget (with the time
/// it comes back), unless overridden. <c>?change=security</c> or <c>?change=p0</c> is always allowed, and the
/// release is recorded on the service's stream. Always 200: read <c>allowed</c>.
/// </summary>
public static class GetReleaseGateEndpoint
{
    [WolverineGet("/api/v1/services/{service}/release-gate")]
    public static async Task<IResult> Get(
        string service, string? change, string? by, IDocumentSession session, SliceStore slices, ProjectionCache cache, TimeProvider clock,
        IOptions<SloPolicyOptions> policy, HttpContext http)
    {
        if (change is not null && !ReleaseGate.AlwaysAllowed.Contains(change))
            return Problems.Invalid("change", $"must be one of {string.Join(", ", ReleaseGate.AlwaysAllowed)}, or left out.");

        var now = clock.GetUtcNow();
        // Deploy pipelines poll the gate: it is cached per minute, until an SLO or the service's releases change.
        var gate = await cache.GetOrLoad(new CacheKey("release-gate", service, CacheTags.Minute(now)), [CacheTags.Slos, CacheTags.Releases],
            () => Evaluate(service, session, slices, now, policy.Value.FreezeAtRemaining, http.RequestAborted));
        if (change is null) return Results.Ok(gate);

        var decision = ReleaseGate.Decide(service, gate!.ExhaustedSlos, gate.Override, change);
        session.Events.Append(ServiceReleases.IdFor(service),
            new ReleaseGateBypassed(service, change, decision.Frozen, now, Actor.Of(http, by)));
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Ok(decision);
    }

    private static async Task<GateDecision?> Evaluate(
        string service, IDocumentSession session, SliceStore slices, DateTimeOffset now, double threshold, CancellationToken ct)
    {
        var exhausted = new List<FrozenBy>();
        var slos = await session.Query<Slo>().Where(s => s.Service == service).ToListAsync(ct);
        foreach (var slo in slos.Where(s => !s.IsRetired))
        {
            if (await SloReads.Load(slices, slo, now, ct) is not { } data) continue;
            var status = SloCalculator.Compute(data.Definition, slo.Defined.At, data.Slices, now);
            if (status.NoData || status.Budget.Remaining > threshold) continue;
            exhausted.Add(new FrozenBy(slo.Name, status.Budget.Remaining,
                BudgetRecovery.When(data.Definition, slo.Defined.At, data.Slices, now, threshold)));
        }

        var releases = await session.LoadAsync<ServiceReleases>(ServiceReleases.IdFor(service), ct);
        return ReleaseGate.Decide(service, exhausted, releases?.ActiveOverride(now), null);
    }
}
