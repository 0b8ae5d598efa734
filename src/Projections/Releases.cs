using JasperFx.Events.Projections;
using Marten;
using Sre.Domain.Deployments;
using Sre.Domain.Releases;

namespace Sre.Projections;

public static class ReleaseProjections
{
    /// <summary>Inline: the gate honours an override the moment it is answered.</summary>
    public static void AddReleaseProjections(this StoreOptions opts)
    {
        opts.Projections.Snapshot<ServiceReleases>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Deployment>(SnapshotLifecycle.Inline);
        opts.Schema.For<Deployment>().Index(x => x.Service);
    }
}
