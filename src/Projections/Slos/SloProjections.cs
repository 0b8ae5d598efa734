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
        // Known to the store from the start (its columns and index: SliSlice.ConfigureMarten), so the table exists
        // before the first status read selects from it.
        opts.Schema.For<SliSlice>();
        // A numeric revision (bigint mt_version), as the aggregating projection that kept the hours before had it:
        // a database from then migrates without a column type change.
        opts.Schema.For<SliHour>().UseNumericRevisions(true);
    }
}
