namespace Sre.Projections.Incidents;

/// <summary>
/// Where new alerts of each Alertmanager group (groupKey) go: its latest incident, or the incident it was attached to
/// since (<c>AlertGroupAttached</c>); <see cref="Sequence"/> is the number of incidents the group opened.
/// </summary>
public sealed record AlertGroup(string Id, Guid CurrentIncidentId, int Sequence);
