namespace Sre.Domain.Releases;

// The release stream of a service: overrides of its gate, and the releases let through by the kind of change.

public sealed record ReleaseGateOverridden(string Service, string Reason, DateTimeOffset Until, DateTimeOffset At, string By);

/// <summary>A release let through a frozen gate because of its kind (security fix, P0 fix).</summary>
public sealed record ReleaseGateBypassed(string Service, string Change, bool WasFrozen, DateTimeOffset At, string By);

public sealed record GateOverride(string Reason, DateTimeOffset Until, DateTimeOffset At, string By);

/// <summary>A service's release record; its id is the name-based UUID of the service.</summary>
public sealed record ServiceReleases
{
    private static readonly Guid Namespace = new("c8d9c3a1-7f4e-4d0b-8a7e-5b7f2e91d3c6");

    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Service { get; init; } = "";
    public IReadOnlyList<GateOverride> Overrides { get; init; } = [];
    public int Bypasses { get; init; }

    public static Guid IdFor(string service) => NameBasedGuid.Create(Namespace, service);

    public GateOverride? ActiveOverride(DateTimeOffset now) => Overrides.Where(o => o.At <= now && o.Until > now).MaxBy(o => o.Until);

    public static ServiceReleases Create(ReleaseGateOverridden e) =>
        new ServiceReleases { Id = IdFor(e.Service), Service = e.Service }.Apply(e);

    public static ServiceReleases Create(ReleaseGateBypassed e) =>
        new ServiceReleases { Id = IdFor(e.Service), Service = e.Service }.Apply(e);

    public ServiceReleases Apply(ReleaseGateOverridden e) => this with { Overrides = [.. Overrides, new GateOverride(e.Reason, e.Until, e.At, e.By)] };

    public ServiceReleases Apply(ReleaseGateBypassed e) => this with { Bypasses = Bypasses + 1 };
}
