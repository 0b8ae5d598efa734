using JasperFx.Events;
using Marten.Events.Projections;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

/// <summary>Sums each SliObserved batch into the hours its slices end in, one document per SLO and hour.</summary>
public sealed partial class SliHourProjection : MultiStreamProjection<SliHour, string>
{
    public SliHourProjection()
    {
        Identities<IEvent<SliObserved>>(e => e.Data.Slices.Select(s => SliHour.IdOf(e.StreamId, HourlyRollup.HourOf(s.End))).Distinct().ToList());
    }

    public override SliHour? Evolve(SliHour? snapshot, string id, IEvent e)
    {
        if (e.Data is not SliObserved observed) return snapshot;
        var tally = snapshot?.ToTally();
        foreach (var slice in observed.Slices)
            if (SliHour.IdOf(e.StreamId, HourlyRollup.HourOf(slice.End)) == id)
                tally = HourlyRollup.Add(tally, slice, observed.At);
        return tally is null ? snapshot : SliHour.From(id, e.StreamId, tally);
    }
}
