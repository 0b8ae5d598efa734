using YamlDotNet.Serialization;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// An OpenSLO v1 document as the specification writes it (https://github.com/OpenSLO/OpenSLO, v1): apiVersion, kind,
/// metadata and a spec whose shape depends on the kind. YamlDotNet reads and writes these records with camelCase
/// names; fields the service does not read are ignored on import. The kinds the service reads are below; any other
/// kind (or an apiVersion other than openslo/v1) reads as an <see cref="UnsupportedDocument"/>.
/// </summary>
public abstract record OpenSloDocument
{
    public const string V1 = "openslo/v1";

    [YamlMember(Order = 0)] public string? ApiVersion { get; init; }
    [YamlMember(Order = 1)] public string? Kind { get; init; }
    [YamlMember(Order = 2)] public OpenSloMetadata? Metadata { get; init; }
}

/// <summary>A document's name, display name, labels (a value is a string, or a list the service does not read) and annotations.</summary>
public sealed record OpenSloMetadata
{
    public string? Name { get; init; }
    public string? DisplayName { get; init; }
    public Dictionary<string, object?>? Labels { get; init; }
    public Dictionary<string, string?>? Annotations { get; init; }
}

/// <summary>kind: Service.</summary>
public sealed record ServiceDocument : OpenSloDocument
{
    [YamlMember(Order = 3)] public ServiceSpec? Spec { get; init; }
}

/// <summary>kind: SLI.</summary>
public sealed record SliDocument : OpenSloDocument
{
    [YamlMember(Order = 3)] public IndicatorSpec? Spec { get; init; }
}

/// <summary>kind: SLO.</summary>
public sealed record SloDocument : OpenSloDocument
{
    [YamlMember(Order = 3)] public SloSpec? Spec { get; init; }
}

/// <summary>kind: AlertPolicy.</summary>
public sealed record AlertPolicyDocument : OpenSloDocument
{
    [YamlMember(Order = 3)] public AlertPolicySpec? Spec { get; init; }
}

/// <summary>kind: AlertCondition.</summary>
public sealed record AlertConditionDocument : OpenSloDocument
{
    [YamlMember(Order = 3)] public AlertConditionSpec? Spec { get; init; }
}

/// <summary>kind: DataSource (of type Prometheus): where the SLIs that name it in <c>metricSourceRef</c> are pulled from.</summary>
public sealed record DataSourceDocument : OpenSloDocument
{
    [YamlMember(Order = 3)] public DataSourceSpec? Spec { get; init; }
}

/// <summary>A document of a kind the service does not read, or not of openslo/v1: only its header is read.</summary>
public sealed record UnsupportedDocument : OpenSloDocument;
