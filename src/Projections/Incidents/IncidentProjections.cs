using JasperFx.Events.Projections;
using Marten;
using Sre.Domain.Incidents;

namespace Sre.Projections.Incidents;

public static class IncidentProjections
{
    /// <summary>
    /// Inline: the webhook and the incident commands read both right after they write
    /// (dedup, grouping, read-your-writes), so they commit in the same transaction as the events.
    /// </summary>
    public static void AddIncidentProjections(this StoreOptions opts)
    {
        // The only inline projection of the incident events: the webhook, which appends its own (ManyStreams), applies
        // it to them as Marten does to the events it appends.
        opts.Projections.Add(new IncidentProjection(), ProjectionLifecycle.Inline);
        // Commands fetch the incident as that projection stores it, with its version, not by folding its stream again.
        opts.Projections.FetchPlanners.Add(new IncidentFetchPlanner());

        // A numeric revision (bigint mt_version), as Marten's snapshot that first kept them had it.
        // The queried fields are duplicated into indexed columns rather than indexed as expressions on the JSON: every
        // alert updates its incident's document, and an update of a document whose JSON no index reads can stay on its
        // page (a HOT update) instead of adding an entry to every index (bench/RESULTS.md).
        opts.Schema.For<Incident>()
            .UseNumericRevisions(true)
            .Duplicate(x => x.Service)
            .Duplicate(x => x.Status)
            .Duplicate(x => x.Opened.At);
        // An incident's alerts are read by the incident (GET, triage, alert quality, the webhook's firing ones).
        // A numeric revision (bigint mt_version), as the aggregating projection that first kept them had it.
        opts.Schema.For<IncidentAlert>().Duplicate(x => x.IncidentId).UseNumericRevisions(true);
        // A numeric revision, as Marten's multi-stream projection that first kept them had it.
        opts.Schema.For<AlertGroup>().UseNumericRevisions(true);
    }
}
