namespace Sre.Projections.Incidents;

/// <summary>The latest incident of each Alertmanager group (groupKey), where new alerts of the group go.</summary>
public sealed record AlertGroup(string Id, Guid CurrentIncidentId, int Sequence);
