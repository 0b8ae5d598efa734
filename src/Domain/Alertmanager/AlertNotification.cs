namespace Sre.Domain.Alertmanager;

/// <summary>A validated Alertmanager webhook notification (payload version 4).</summary>
public sealed record AlertNotification(
    Guid NotificationId,
    string Receiver,
    string Status,
    string GroupKey,
    int TruncatedAlerts,
    Dictionary<string, string> GroupLabels,
    Dictionary<string, string> CommonLabels,
    Dictionary<string, string> CommonAnnotations,
    string? ExternalUrl,
    IReadOnlyList<ReceivedAlert> Alerts,
    string By = Incidents.Actors.Alertmanager);

public sealed record ReceivedAlert(
    string Status,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorUrl,
    string Fingerprint)
{
    public bool IsFiring => Status == "firing";
}

/// <summary>How notifications become incidents (configuration section "Alertmanager", through the Host's AlertmanagerOptions).</summary>
public sealed record IngestOptions
{
    public string ServiceLabel { get; init; } = "service";
    public string SeverityLabel { get; init; } = "severity";
    /// <summary>Resolve an incident (actor "alertmanager") once every one of its alerts is reported resolved; never a declared one.</summary>
    public bool AutoResolve { get; init; } = true;
}
