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

    /// <summary>Declared by a person (<see cref="IncidentDeclared"/>) rather than opened by an Alertmanager group.</summary>
    public bool Declared { get; init; }
    /// <summary>When the impact of a declared incident started (null for an incident an alert opened).</summary>
    public DateTimeOffset? ImpactStartedAt { get; init; }
    public string? Description { get; init; }
    /// <summary>The Alertmanager groups attached to it (<see cref="AlertGroupAttached"/>), each with its incident count then.</summary>
    public IReadOnlyDictionary<string, int> AttachedGroups { get; init; } = new Dictionary<string, int>();
    /// <summary>The incidents merged into this one (their occurrences moved here).</summary>
    public IReadOnlyList<Guid> MergedIncidents { get; init; } = [];
    /// <summary>The incident this one was merged into, or null: a merged incident counts in no statistics.</summary>
    public Guid? MergedInto { get; init; }
    /// <summary>The first notification of any of its alert occurrences (moved ones included), or null before any.</summary>
    public DateTimeOffset? FirstAlertAt { get; init; }

    public DateTimeOffset OpenedAt => Opened.At;
    public bool IsOpen => Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated;

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

    public static Incident Create(IncidentDeclared e) => new()
    {
        Id = e.IncidentId,
        Title = e.Title,
        Service = e.Service,
        Severity = e.Severity,
        Labels = e.Labels,
        Slos = e.Slos,
        Declared = true,
        ImpactStartedAt = e.ImpactStartedAt,
        Description = e.Description,
        Status = IncidentStatus.Triggered,
        Opened = new Stamp(e.At, e.By),
        LastChange = new Stamp(e.At, e.By),
    };

    /// <summary>How many incidents the Alertmanager group had opened when its notifications last came here (0 if they never did).
    /// The larger of its own (for the group that opened it) and the count recorded when the group was attached here: a
    /// group attached back to an incident it opened has opened more since.</summary>
    public int SequenceIn(string groupKey) =>
        Math.Max(groupKey == GroupKey ? Sequence : 0, AttachedGroups.GetValueOrDefault(groupKey));

    // The alerts themselves are read models of their own (IncidentAlert): an incident of thousands of alerts stays small.
    public Incident Apply(AlertFired e) => Track(e) with { Slos = WithSlo(e.Alert), FirstAlertAt = Earliest(FirstAlertAt, e.At) };

    public Incident Apply(AlertResolved e) => Track(e) with { Slos = WithSlo(e.Alert), FirstAlertAt = Earliest(FirstAlertAt, e.At) };

    public Incident Apply(AlertOccurrenceMoved e) =>
        Track(e) with { Slos = WithSlo(e.Alert), FirstAlertAt = Earliest(FirstAlertAt, e.FirstNotifiedAt) };

    public Incident Apply(AlertGroupAttached e) => Track(e) with
    {
        AttachedGroups = new Dictionary<string, int>(AttachedGroups) { [e.GroupKey] = e.Sequence },
        MergedIncidents = e.MergedIncidentId is { } merged ? [.. MergedIncidents, merged] : MergedIncidents,
    };

    public Incident Apply(IncidentMerged e) =>
        Track(e) with { Status = IncidentStatus.Resolved, Resolved = new Stamp(e.At, e.By), MergedInto = e.IntoIncidentId };

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

    public Incident Apply(AlertTriaged e) => Track(e);

    private Incident Track(IIncidentEvent e) => this with { LastChange = new Stamp(e.At, e.By) };

    private static DateTimeOffset Earliest(DateTimeOffset? known, DateTimeOffset at) => known is { } k && k <= at ? k : at;

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
