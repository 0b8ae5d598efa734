namespace Sre.Contracts;

// Messages the service consumes. Each has the same effect and the same validation as its HTTP endpoint.
// MassTransit names them urn:message:Sre.Contracts:<Type>; each has a queue of its own (README, "Message bus").

/// <summary>SLI slices for one or many SLOs (POST /api/v1/observations). Queue: record-sli-observations.</summary>
public sealed record RecordSliObservations(IReadOnlyList<SliObservation> Observations, string? By = null);

/// <summary>One slice: good and total events, or the value of a threshold or raw-ratio SLI.</summary>
public sealed record SliObservation(string Slo, DateTimeOffset Start, DateTimeOffset End, long Total = 0, long? Good = null, double? Value = null);

/// <summary>A deployment (POST /api/v1/services/{service}/deployments). Queue: record-deployment.</summary>
public sealed record RecordDeployment(
    string Service, string Version, DateTimeOffset DeployedAt, string By, string? Link = null, Guid? DeploymentId = null);

/// <summary>
/// Alertmanager's webhook payload (version 4), field for field: what <c>POST /api/v1/alertmanager/webhook</c> reads and
/// what is relayed over the bus (queue: alertmanager-notification). Every field may be missing or null as it arrives;
/// Sre.Host.Alertmanager.NotificationPayload.Validate names what is wrong. Unknown fields are ignored.
/// </summary>
public sealed record AlertmanagerNotification(
    string? Version,
    string? GroupKey,
    string? Status,
    string? Receiver,
    IReadOnlyList<AlertmanagerAlert?>? Alerts,
    int? TruncatedAlerts = null,
    Dictionary<string, string>? GroupLabels = null,
    Dictionary<string, string>? CommonLabels = null,
    Dictionary<string, string>? CommonAnnotations = null,
    string? ExternalURL = null);

/// <summary>One alert of <see cref="AlertmanagerNotification"/>; <c>endsAt</c> is Go's zero time (<c>0001-01-01T00:00:00Z</c>) while it fires.</summary>
public sealed record AlertmanagerAlert(
    string? Status,
    Dictionary<string, string>? Labels,
    Dictionary<string, string>? Annotations,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorURL,
    string? Fingerprint);

/// <summary>Minutes of toil (POST /api/v1/toil). Queue: record-toil.</summary>
public sealed record RecordToil(
    string? Team = null, string? Category = null, string? TaskKey = null, int? Minutes = null, DateTimeOffset? PerformedAt = null, string? Who = null,
    IReadOnlyList<string>? Traits = null, string? Link = null, Guid? EntryId = null, string? By = null);

/// <summary>A backup tool's report (POST /api/v1/backups/reports). Queue: record-backup-report.</summary>
public sealed record RecordBackupReport(
    string? Target = null, string? BackupName = null, string? Phase = null, DateTimeOffset? StartedAt = null, DateTimeOffset? CompletedAt = null, string? Tool = null,
    long? SizeBytes = null, string? Location = null, int? Errors = null, int? Warnings = null, long? EtcdRevision = null,
    string? EtcdHash = null, string? By = null);
