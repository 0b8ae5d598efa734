using System.Text.Json.Nodes;

namespace Sre.Host.Slos.OpenSlo;

/// <summary>
/// The kinds of OpenSLO v1 (https://github.com/OpenSLO/OpenSLO, v1) and the record each document's <c>spec</c> reads into.
/// A document is read twice: as it came (a <see cref="JsonObject"/>, stored and exported whole, so nothing is dropped) and
/// as these records (System.Text.Json, camelCase), for what the service does with it.
/// </summary>
public static class OpenSloKinds
{
    public const string V1 = "openslo/v1";
    public const string Service = "Service";
    public const string Sli = "SLI";
    public const string Slo = "SLO";
    public const string DataSource = "DataSource";
    public const string AlertPolicy = "AlertPolicy";
    public const string AlertCondition = "AlertCondition";
    public const string AlertNotificationTarget = "AlertNotificationTarget";

    /// <summary>Every kind, in the order an export writes them: what is referred to before what refers to it.</summary>
    public static readonly string[] All = [Service, DataSource, Sli, AlertNotificationTarget, AlertCondition, AlertPolicy, Slo];

    /// <summary>The record a kind's <c>spec</c> reads into.</summary>
    public static Type SpecOf(string kind) => kind switch
    {
        Service => typeof(ServiceSpec),
        Sli => typeof(IndicatorSpec),
        Slo => typeof(SloSpec),
        DataSource => typeof(DataSourceSpec),
        AlertPolicy => typeof(AlertPolicySpec),
        AlertCondition => typeof(AlertConditionSpec),
        _ => typeof(NotificationTargetSpec),
    };
}

/// <summary>One document of a request: where it is (<c>documents[3]</c>), its kind and name, as it came, and its spec read.</summary>
public sealed record OpenSloDocument(string Path, string Kind, string Name, JsonObject Content, OpenSloMetadata Metadata, object? Spec)
{
    /// <summary>How errors name it: <c>documents[3] (SLO checkout)</c>.</summary>
    public string Label => $"{Path} ({Kind} {Name})";
}

/// <summary>A document's name (an RFC 1123 label), display name, labels (each value a string or a list of strings) and annotations.</summary>
public sealed record OpenSloMetadata
{
    public string? Name { get; init; }
    public string? DisplayName { get; init; }
    public Dictionary<string, JsonNode?>? Labels { get; init; }
    public Dictionary<string, string?>? Annotations { get; init; }
}
