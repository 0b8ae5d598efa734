using JasperFx.Events.Projections;
using Marten;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;

namespace Sre.Projections.Slos;

public static class SloProjections
{
    /// <summary>Inline: a status read right after an observation or a definition change must see it.</summary>
    public static void AddSloProjections(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Slo>(SnapshotLifecycle.Inline);
        opts.Projections.Add(new SliSliceProjection(), ProjectionLifecycle.Inline);

        opts.Schema.For<Slo>().Index(x => x.Service).Index(x => x.Name, i => i.IsUnique = true);
        // Known to the store from the start (its columns and index: SliHour.ConfigureMarten), so the table exists
        // before the first status read selects from it. A numeric revision (bigint mt_version), as the aggregating projection that kept the hours before had it:
        // a database from then migrates without a column type change.
        opts.Schema.For<SliHour>().UseNumericRevisions(true)
            // An hour of minute slices is about 2.9 kB: kept whole in its row rather than compressed on every write and read
            // (PostgreSQL compresses a row's largest values from 2 kB on by default).
            .StorageParameter("toast_tuple_target", 8160);

        // Inline: an imported data source is listed, and pulled from, right after its import.
        opts.Projections.Snapshot<DataSource>(SnapshotLifecycle.Inline);
        opts.Schema.For<DataSource>().Index(x => x.Name, i => i.IsUnique = true);
        // The OpenSLO documents as imported, for export and for the references of later imports.
        opts.Projections.Snapshot<Sre.Domain.Slos.OpenSlo.OpenSloSource>(SnapshotLifecycle.Inline);
    }
}
