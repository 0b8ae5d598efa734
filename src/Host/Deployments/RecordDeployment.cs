using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Deployments;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Deployments;

/// <summary>A deployment of the service: version, when (default now), who, a link. A resend (same id) stores nothing new.</summary>
public sealed record RecordDeploymentRequest(string Version, string? By = null, DateTimeOffset? DeployedAt = null, string? Link = null, Guid? Id = null);

public static class RecordDeploymentEndpoint
{
    [WolverinePost("/api/v1/services/{service}/deployments")]
    [Authorize(Policies.Ingest)]
    public static async Task<IResult> Post(string service, RecordDeploymentRequest request, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var outcome = await DeploymentWriter.Record(session,
            new Contracts.RecordDeployment(service, request.Version, request.DeployedAt ?? clock.GetUtcNow(), Actor.Of(http, request.By), request.Link, request.Id),
            clock.GetUtcNow(), http.RequestAborted);
        if (outcome.Errors.Count > 0) return Problems.Invalid(outcome.Errors);
        var location = $"/api/v1/services/{service}/deployments/{outcome.Deployment!.Id}";
        return outcome.Created ? Results.Created(location, outcome.Deployment) : Results.Ok(outcome.Deployment);
    }
}

/// <summary>The one path that records a deployment, for the endpoint and the bus consumer alike.</summary>
public static class DeploymentWriter
{
    public sealed record Outcome(Deployment? Deployment, bool Created, Dictionary<string, string[]> Errors);

    public static async Task<Outcome> Record(IDocumentSession session, Contracts.RecordDeployment d, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(d.Service)) errors["service"] = ["is required."];
        if (string.IsNullOrWhiteSpace(d.Version)) errors["version"] = ["is required."];
        else if (!System.Text.RegularExpressions.Regex.IsMatch(d.Version, "^[A-Za-z0-9][A-Za-z0-9._+:/@-]{0,127}$"))
            errors["version"] = ["must be a version such as v1.4.2, 2026.11.27-1 or a commit or image digest (letters, digits, . _ + : / @ -)."];
        if (d.By is { Length: > 200 }) errors["by"] = ["must be at most 200 characters."];
        if (string.IsNullOrWhiteSpace(d.By)) errors["by"] = ["is required."];
        if (d.DeployedAt > now.AddMinutes(5)) errors["deployedAt"] = ["is in the future."];
        if (d.Link is not null && !Uri.TryCreate(d.Link, UriKind.Absolute, out _)) errors["link"] = ["must be an absolute URL."];
        if (errors.Count > 0) return new Outcome(null, false, errors);

        var id = d.DeploymentId ?? Deployment.IdFor(d.Service, d.Version, d.DeployedAt);
        if (await session.LoadAsync<Deployment>(id, ct) is { } existing) return new Outcome(existing, false, errors);
        var recorded = new DeploymentRecorded(id, d.Service, d.Version, d.DeployedAt, d.Link, now, d.By);
        session.Events.StartStream<Deployment>(id, recorded);
        await session.SaveChangesAsync(ct);
        return new Outcome(Deployment.Create(recorded) with { Version = 1 }, true, errors);
    }
}
