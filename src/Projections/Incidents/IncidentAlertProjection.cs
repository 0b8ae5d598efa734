using JasperFx.Events;
using Marten.Events.Projections;
using Sre.Domain.Incidents;

namespace Sre.Projections.Incidents;

/// <summary>One document per alert occurrence of an incident (<see cref="IncidentAlerts"/>), kept in the events' transaction.</summary>
public sealed partial class IncidentAlertProjection : MultiStreamProjection<IncidentAlert, string>
{
    public IncidentAlertProjection()
    {
        Identity<IEvent<AlertFired>>(e => IncidentAlerts.IdOf(e.StreamId, e.Data)!);
        Identity<IEvent<AlertResolved>>(e => IncidentAlerts.IdOf(e.StreamId, e.Data)!);
        Identity<IEvent<AlertTriaged>>(e => IncidentAlerts.IdOf(e.StreamId, e.Data)!);
    }

    public override IncidentAlert? Evolve(IncidentAlert? snapshot, string id, IEvent e) => IncidentAlerts.Evolve(snapshot, e.StreamId, e.Data);
}
