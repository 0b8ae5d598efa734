namespace Sre.Domain.Incidents;

public enum IncidentStatus
{
    Triggered,
    Acknowledged,
    Mitigated,
    Resolved,
    Closed,
}

public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>
/// The write model of one incident, built from its stream. Immutable: every Apply answers a new state,
/// so a fetched aggregate is never mutated (Marten keeps it in an identity map).
/// </summary>
public sealed record Incident
{
    public Guid Id { get; init; }
    public long Version { get; set; }
    public string GroupKey { get; init; } = "";
    public int Sequence { get; init; }
    public string Title { get; init; } = "";
    public string Service { get; init; } = "";
    public string Severity { get; init; } = "";
    public Dictionary<string, string> Labels { get; init; } = new();
    public IReadOnlyList<string> Slos { get; init; } = [];
    public string Receiver { get; init; } = "";
    public string? ExternalUrl { get; init; }
    public IncidentStatus Status { get; init; }
    public IReadOnlyList<IncidentAlert> Alerts { get; init; } = [];
    public int TruncatedAlerts { get; init; }
    public string? Commander { get; init; }
    public Postmortem? Postmortem { get; init; }
    /// <summary>Why a postmortem is required beyond the severity rule (an SLO budget the incident spent), or null.</summary>
    public string? PostmortemRequiredFor { get; init; }
    public IReadOnlyList<IncidentNote> Notes { get; init; } = [];
    public Stamp Opened { get; init; } = new(DateTimeOffset.MinValue, "");
    public Stamp? Acknowledged { get; init; }
    public Stamp? Mitigated { get; init; }
    public Stamp? Resolved { get; init; }
    public Stamp? Closed { get; init; }
    public Stamp LastChange { get; init; } = new(DateTimeOffset.MinValue, "");

    public DateTimeOffset OpenedAt => Opened.At;
    public bool IsOpen => Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated;
    public bool AllAlertsResolved => Alerts.Count > 0 && Alerts.All(a => a.Status == AlertStatus.Resolved);

    public IncidentAlert? FindAlert(string fingerprint, DateTimeOffset startsAt) =>
        Alerts.FirstOrDefault(a => a.Fingerprint == fingerprint && a.StartsAt == startsAt);

    public static Incident Create(IncidentOpened e) => new()
    {
        Id = e.IncidentId,
        GroupKey = e.GroupKey,
        Sequence = e.Sequence,
        Title = e.Title,
        Service = e.Service,
        Severity = e.Severity,
        Labels = e.Labels,
        Receiver = e.Receiver,
        ExternalUrl = e.ExternalUrl,
        Status = IncidentStatus.Triggered,
        Opened = new Stamp(e.At, e.By),
        LastChange = new Stamp(e.At, e.By),
    };

    public Incident Apply(AlertFired e) => Track(e) with
    {
        Alerts = Upsert(IncidentAlert.From(e.Alert, AlertStatus.Firing, e.NotificationId)),
        Slos = WithSlo(e.Alert),
    };

    public Incident Apply(AlertResolved e) => Track(e) with
    {
        Alerts = Upsert(IncidentAlert.From(e.Alert, AlertStatus.Resolved, e.NotificationId)),
        Slos = WithSlo(e.Alert),
    };

    public Incident Apply(AlertsTruncated e) => Track(e) with { TruncatedAlerts = e.Count };

    public Incident Apply(IncidentAcknowledged e) =>
        Track(e) with { Status = IncidentStatus.Acknowledged, Acknowledged = new Stamp(e.At, e.By) };

    public Incident Apply(IncidentMitigated e) =>
        Track(e) with { Status = IncidentStatus.Mitigated, Mitigated = new Stamp(e.At, e.By) };

    public Incident Apply(IncidentResolved e) =>
        Track(e) with { Status = IncidentStatus.Resolved, Resolved = new Stamp(e.At, e.By) };

    // A reopened incident is triggered again; its earlier stamps stay as the record of the first attempt.
    public Incident Apply(IncidentReopened e) => Track(e) with { Status = IncidentStatus.Triggered, Resolved = null };

    public Incident Apply(IncidentNoteAdded e) => Track(e) with { Notes = [.. Notes, new IncidentNote(e.Text, e.At, e.By)] };

    public Incident Apply(IncidentSeverityChanged e) => Track(e) with { Severity = e.To };

    public Incident Apply(IncidentCommanderAssigned e) => Track(e) with { Commander = e.Commander };

    public Incident Apply(PostmortemRecorded e) =>
        Track(e) with { Postmortem = new Postmortem(e.Link, e.Summary, e.ActionItems, e.At, e.By) };

    public Incident Apply(PostmortemRequired e) =>
        Track(e) with { PostmortemRequiredFor = $"spent {e.BudgetSpent:P1} of the error budget of SLO '{e.Slo}'" };

    public Incident Apply(IncidentClosed e) =>
        Track(e) with { Status = IncidentStatus.Closed, Closed = new Stamp(e.At, e.By) };

    public Incident Apply(AlertTriaged e) => Track(e) with
    {
        Alerts = Alerts.Select(a => a.Fingerprint == e.Fingerprint && a.StartsAt == e.StartsAt
            ? a with { Verdict = e.Verdict, TriagedBy = e.By }
            : a).ToList(),
    };

    private Incident Track(IIncidentEvent e) => this with { LastChange = new Stamp(e.At, e.By) };

    private IReadOnlyList<IncidentAlert> Upsert(IncidentAlert alert)
    {
        var existing = FindAlert(alert.Fingerprint, alert.StartsAt);
        if (existing is null) return [.. Alerts, alert];
        var merged = alert with
        {
            Verdict = existing.Verdict,
            TriagedBy = existing.TriagedBy,
            NotificationIds = [.. existing.NotificationIds, .. alert.NotificationIds],
        };
        return Alerts.Select(a => ReferenceEquals(a, existing) ? merged : a).ToList();
    }

    private IReadOnlyList<string> WithSlo(AlertSnapshot alert) =>
        alert.Labels.TryGetValue(SloLabelName, out var slo) && slo.Length > 0 && !Slos.Contains(slo)
            ? [.. Slos, slo]
            : Slos;

    /// <summary>The label naming the SLO an alert concerns (Prometheus rules generated by the service set it).</summary>
    public const string SloLabelName = "slo";
}

public sealed record Stamp(DateTimeOffset At, string By);

public sealed record IncidentNote(string Text, DateTimeOffset At, string By);

public sealed record Postmortem(string Link, string Summary, IReadOnlyList<ActionItem> ActionItems, DateTimeOffset At, string By);

public sealed record IncidentAlert(
    string Fingerprint,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    AlertStatus Status,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Annotations,
    string? GeneratorUrl,
    IReadOnlyList<Guid> NotificationIds,
    AlertVerdict? Verdict = null,
    string? TriagedBy = null)
{
    public string AlertName => Labels.GetValueOrDefault("alertname", "");

    public static IncidentAlert From(AlertSnapshot a, AlertStatus status, Guid notificationId) =>
        new(a.Fingerprint, a.StartsAt, a.EndsAt, status, a.Labels, a.Annotations, a.GeneratorUrl, [notificationId]);
}
