using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>Spreads each SliObserved batch into one document per slice.</summary>
public sealed partial class SliSliceProjection : EventProjection
{
    public void Project(IEvent<SliObserved> e, IDocumentOperations ops)
    {
        foreach (var s in e.Data.Slices)
            ops.Store(new SliSlice(SliSlice.IdOf(e.StreamId, s.Start, s.End), e.StreamId, s.Start, s.End, s.Good, s.Total, e.Data.At));
    }
}
