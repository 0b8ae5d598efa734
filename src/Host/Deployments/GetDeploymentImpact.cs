using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Deployments;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Wolverine.Http;

namespace Sre.Host.Deployments;

public sealed record DeploymentImpactReport(Deployment Deployment, TimeSpan Window, IReadOnlyList<SloImpact> Slos);

/// <summary>For each SLO of the service: error ratio and burn rate in a window (default 1h) before the deployment and after it.</summary>
public static class GetDeploymentImpactEndpoint
{
    [WolverineGet("/api/v1/services/{service}/deployments/{id}/impact")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string service, Guid id, Duration? window, IQuerySession session, SliceStore slices, HttpContext http)
    {
        var span = window?.Value ?? TimeSpan.FromHours(1);
        if (await session.LoadAsync<Deployment>(id, http.RequestAborted) is not { } deployment || deployment.Service != service)
            return Problems.NotFound($"No deployment {id} of service '{service}'.");

        var impacts = new List<SloImpact>();
        var slos = await session.Query<Slo>().Where(s => s.Service == service).ToListAsync(http.RequestAborted);
        foreach (var slo in slos.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var before = slo.DefinitionAt(deployment.DeployedAt);
            var after = slo.DefinitionAt(deployment.DeployedAt + span) ?? before;
            if (after is null) continue;
            var data = await slices.Read(slo.Id, deployment.DeployedAt - span, deployment.DeployedAt + span, http.RequestAborted);
            impacts.Add(DeploymentImpact.Compute(slo.Name, before ?? after, after, slo.CountsFrom,
                data.Select(s => s.ToObservation()).ToList(), deployment.DeployedAt, span));
        }
        return Results.Ok(new DeploymentImpactReport(deployment, span, impacts));
    }
}
