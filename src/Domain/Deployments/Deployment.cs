using Sre.Domain.Incidents;

namespace Sre.Domain.Deployments;

/// <summary>A release of a service went out: which version, when, who, and where to read about it.</summary>
public sealed record DeploymentRecorded(
    Guid DeploymentId, string Service, string Version, DateTimeOffset DeployedAt, string? Link, DateTimeOffset At, string By);

/// <summary>One deployment; its id is given by the caller or derived from service, version and time, so a resend is a duplicate.</summary>
public sealed record Deployment
{
    private static readonly Guid Namespace = new("4a1b9e0c-2d3f-4e5a-8b6c-7d8e9f0a1b2c");

    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Service { get; init; } = "";
    public string ReleaseVersion { get; init; } = "";
    public DateTimeOffset DeployedAt { get; init; }
    public string? Link { get; init; }
    public Stamp Recorded { get; init; } = new(DateTimeOffset.MinValue, "");

    public static Guid IdFor(string service, string version, DateTimeOffset deployedAt) =>
        NameBasedGuid.Create(Namespace, $"{service}\n{version}\n{deployedAt.UtcTicks}");

    public static Deployment Create(DeploymentRecorded e) => new()
    {
        Id = e.DeploymentId,
        Service = e.Service,
        ReleaseVersion = e.Version,
        DeployedAt = e.DeployedAt,
        Link = e.Link,
        Recorded = new Stamp(e.At, e.By),
    };
}
