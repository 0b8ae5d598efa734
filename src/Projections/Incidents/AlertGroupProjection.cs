using Marten.Events.Projections;
using Sre.Domain.Incidents;

namespace Sre.Projections.Incidents;

/// <summary>The latest incident of each Alertmanager group (groupKey), where new alerts of the group go.</summary>
public sealed record AlertGroup(string Id, Guid CurrentIncidentId, int Sequence);

public sealed partial class AlertGroupProjection : MultiStreamProjection<AlertGroup, string>
{
    public AlertGroupProjection()
    {
        Identity<IncidentOpened>(e => e.GroupKey);
    }

    public AlertGroup Create(IncidentOpened e) => new(e.GroupKey, e.IncidentId, e.Sequence);

    public AlertGroup Apply(IncidentOpened e, AlertGroup current) =>
        e.Sequence >= current.Sequence ? current with { CurrentIncidentId = e.IncidentId, Sequence = e.Sequence } : current;
}
