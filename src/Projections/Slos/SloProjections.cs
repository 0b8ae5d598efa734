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
        opts.Schema.For<SliSlice>().Duplicate(x => x.SloId).Duplicate(x => x.End);
    }
}
