namespace Sre.Domain.Incidents;

/// <summary>
/// Folds incident events in memory, the same way Marten's projection does, so that decisions
/// over several notifications in one batch see the effect of the ones before them.
/// </summary>
public static class IncidentEvolution
{
    public static Incident Evolve(Incident? state, object @event) => (state, @event) switch
    {
        (null, IncidentOpened e) => Incident.Create(e),
        (null, IncidentDeclared e) => Incident.Create(e),
        (null, _) => throw new InvalidOperationException(
            $"An incident stream must start with {nameof(IncidentOpened)} or {nameof(IncidentDeclared)}."),
        (_, AlertFired e) => state.Apply(e),
        (_, AlertResolved e) => state.Apply(e),
        (_, AlertsTruncated e) => state.Apply(e),
        (_, IncidentAcknowledged e) => state.Apply(e),
        (_, IncidentMitigated e) => state.Apply(e),
        (_, IncidentResolved e) => state.Apply(e),
        (_, IncidentReopened e) => state.Apply(e),
        (_, IncidentNoteAdded e) => state.Apply(e),
        (_, IncidentSeverityChanged e) => state.Apply(e),
        (_, IncidentCommanderAssigned e) => state.Apply(e),
        (_, PostmortemRecorded e) => state.Apply(e),
        (_, IncidentClosed e) => state.Apply(e),
        (_, PostmortemRequired e) => state.Apply(e),
        (_, AlertTriaged e) => state.Apply(e),
        (_, AlertGroupAttached e) => state.Apply(e),
        (_, AlertOccurrenceMoved e) => state.Apply(e),
        (_, IncidentMerged e) => state.Apply(e),
        _ => throw new ArgumentException($"Unknown incident event {@event.GetType().Name}.", nameof(@event)),
    };

    public static Incident Fold(Incident? state, IEnumerable<object> events)
    {
        foreach (var e in events) state = Evolve(state, e);
        return state ?? throw new ArgumentException("No events to fold.", nameof(events));
    }
}
