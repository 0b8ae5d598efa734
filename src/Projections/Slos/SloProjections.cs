using JasperFx.Events.Projections;
using Marten;
using Sre.Domain.Slos;

namespace Sre.Projections.Slos;

public static class SloProjections
{
    /// <summary>Inline: a status read right after an observation or a definition change must see it.</summary>
    public static void AddSloProjections(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Slo>(SnapshotLifecycle.Inline);
        opts.Projections.Add(new SliSliceProjection(), ProjectionLifecycle.Inline);

        opts.Schema.For<Slo>().Index(x => x.Service).Index(x => x.Name, i => i.IsUnique = true);
        // Status reads select these columns directly (SliceStore): no JSON to parse for thousands of slices.
        opts.Schema.For<SliSlice>()
            .Duplicate(x => x.SloId)
            .Duplicate(x => x.End)
            .Duplicate(x => x.Start)
            .Duplicate(x => x.Good)
            .Duplicate(x => x.Total)
            .Duplicate(x => x.RecordedAt);
    }
}
