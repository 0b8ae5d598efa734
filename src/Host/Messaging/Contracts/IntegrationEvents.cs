namespace Sre.Contracts;

// Events the service publishes, from its event store, at least once and in order per stream. Each carries the
// id and stream version of the event it comes from (also its MessageId), so consumers can drop duplicates.

public interface IIntegrationEvent
{
    Guid SourceEventId { get; }
    Guid StreamId { get; }
    long StreamVersion { get; }
    DateTimeOffset At { get; }
}

public sealed record IncidentOpened(
    Guid IncidentId, string Title, string Service, string Severity, Dictionary<string, string> Labels,
    Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record IncidentAcknowledged(
    Guid IncidentId, string Service, string By, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record IncidentResolved(
    Guid IncidentId, string Service, string By, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record IncidentClosed(
    Guid IncidentId, string Service, string By, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record BurnRateAlertRaised(
    string Slo, string Service, string Severity, string LongWindow, string ShortWindow, double Factor, double LongBurnRate,
    double ShortBurnRate, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record BurnRateAlertCleared(
    string Slo, string Service, string Severity, string LongWindow, string ShortWindow, double Factor,
    Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record ErrorBudgetExhausted(
    string Slo, string Service, double Remaining, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record ErrorBudgetRestored(
    string Slo, string Service, double Remaining, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

/// <summary>An SLO's budget ran out or came back, so the service's release gate may have changed; Frozen is its state after.</summary>
public sealed record ReleaseGateChanged(
    string Service, bool Frozen, string Slo, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record BackupMissed(
    string Target, DateTimeOffset Due, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At) : IIntegrationEvent;

public sealed record BackupFreshnessBreached(
    string Target, DateTimeOffset? NewestCompletedAt, string Rpo, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At)
    : IIntegrationEvent;

public sealed record BackupFreshnessRestored(
    string Target, string? BackupName, DateTimeOffset? CompletedAt, Guid SourceEventId, Guid StreamId, long StreamVersion, DateTimeOffset At)
    : IIntegrationEvent;
