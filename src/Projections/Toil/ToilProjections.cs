using JasperFx.Events.Projections;
using Marten;
using Sre.Domain.Toil;

namespace Sre.Projections.Toil;

public static class ToilProjections
{
    /// <summary>Inline: an entry, a team or an automation is read back in the answer to its write.</summary>
    public static void AddToilProjections(this StoreOptions opts)
    {
        opts.Projections.Snapshot<ToilEntry>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Team>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<ToilAutomation>(SnapshotLifecycle.Inline);

        // The reports select entries by team or task key over a time range.
        opts.Schema.For<ToilEntry>()
            .Index(x => x.Team)
            .Index(x => x.TaskKey)
            .Index(x => x.PerformedAt);
        opts.Schema.For<ToilAutomation>().Index(x => x.TaskKey);
    }
}
