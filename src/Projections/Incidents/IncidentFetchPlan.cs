using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Events;
using Marten.Events.Fetching;
using Marten.Internal.Sessions;
using Marten.Linq.QueryHandlers;
using Sre.Domain.Incidents;
using Weasel.Postgresql;
using Weasel.Storage;

namespace Sre.Projections.Incidents;

/// <summary>
/// Claims <see cref="Incident"/> for <see cref="IncidentFetchPlan"/> (Marten's <c>FetchPlanners</c>, its public way to
/// say how an aggregate is fetched); every other type stays with Marten's own planners.
/// </summary>
public sealed class IncidentFetchPlanner : IFetchPlanner
{
    public bool TryMatch<TDoc, TId>(IEventIdentityStrategy<TId> identity, StoreOptions options,
        [NotNullWhen(true)] out IAggregateFetchPlan<TDoc, TId>? plan) where TDoc : class where TId : notnull
    {
        plan = typeof(TDoc) == typeof(Incident) && identity is IEventIdentityStrategy<Guid> streams
            ? (IAggregateFetchPlan<TDoc, TId>)(object)new IncidentFetchPlan(streams)
            : null;
        return plan is not null;
    }
}

/// <summary>
/// How <c>FetchForWriting&lt;Incident&gt;</c> (and so Wolverine's aggregate workflow) gets an incident: the stored
/// document, whose <see cref="Incident.Version"/> is its stream's (<see cref="IncidentProjection"/> keeps it in the events'
/// transaction), appended to with that version expected, which is what Marten's own plan for an inline aggregate does.
/// The document is written by a projection of ours, which Marten does not know as the aggregate's, so without this plan
/// Marten would fold the whole stream, every alert event of it, on each command, and with a second fold. One round trip,
/// whatever the number of alerts.
/// </summary>
public sealed class IncidentFetchPlan(IEventIdentityStrategy<Guid> streams) : IAggregateFetchPlan<Incident, Guid>
{
    public ProjectionLifecycle Lifecycle => ProjectionLifecycle.Inline;

    public async Task<IEventStream<Incident>> FetchForWriting(
        DocumentSessionBase session, Guid id, bool forUpdate, CancellationToken cancellation = default)
    {
        if (forUpdate) throw Locked();
        return Stream(session, id, await session.LoadAsync<Incident>(id, cancellation), cancellation);
    }

    public async Task<IEventStream<Incident>> FetchForWriting(
        DocumentSessionBase session, Guid id, long expectedStartingVersion, CancellationToken cancellation = default) =>
        Stream(session, id, Expect(await session.LoadAsync<Incident>(id, cancellation), id, expectedStartingVersion), cancellation);

    public async ValueTask<Incident?> FetchForReading(DocumentSessionBase session, Guid id, CancellationToken cancellation) =>
        await session.LoadAsync<Incident>(id, cancellation);

    /// <summary>The stored incident with the session's pending events of its stream folded in (none after the commit).</summary>
    public async ValueTask<Incident?> ProjectLatest(DocumentSessionBase session, Guid id, CancellationToken cancellation)
    {
        var stored = await session.LoadAsync<Incident>(id, cancellation);
        var pending = session.PendingChanges.Streams().Where(s => s.Id == id).SelectMany(s => s.Events).Select(e => e.Data).ToList();
        return pending.Count == 0 ? stored : IncidentEvolution.Fold(stored, pending) with { Version = (stored?.Version ?? 0) + pending.Count };
    }

    public Task<bool> StreamForReading(DocumentSessionBase session, Guid id, Stream destination, CancellationToken cancellation) =>
        session.Json.StreamById<Incident>(id, destination, cancellation);

    // Wolverine loads the aggregate of its workflow in a batch query: the same read, as one statement of the batch.
    public IQueryHandler<IEventStream<Incident>> BuildQueryHandler(QuerySession session, Guid id, long expectedStartingVersion) =>
        new Load<IEventStream<Incident>>(session, id, (s, incident, ct) =>
            Stream((DocumentSessionBase)s, id, Expect(incident, id, expectedStartingVersion), ct));

    public IQueryHandler<IEventStream<Incident>> BuildQueryHandler(QuerySession session, Guid id, bool forUpdate) =>
        forUpdate ? throw Locked() : new Load<IEventStream<Incident>>(session, id, (s, incident, ct) => Stream((DocumentSessionBase)s, id, incident, ct));

    public IQueryHandler<Incident?> BuildQueryHandler(QuerySession session, Guid id) => new Load<Incident?>(session, id, (_, incident, _) => incident);

    // A missing incident starts an empty stream, as Marten's plans do: the caller decides what a missing stream means.
    private IEventStream<Incident> Stream(DocumentSessionBase session, Guid id, Incident? incident, CancellationToken cancellation) =>
        incident is null
            ? streams.StartStream(incident, session, id, cancellation)
            : streams.AppendToStream(incident, session, id, incident.Version, cancellation);

    private static Incident? Expect(Incident? incident, Guid id, long expected) =>
        (incident?.Version ?? 0) == expected
            ? incident
            : throw new JasperFx.ConcurrencyException(
                $"Expected the existing version to be {expected}, but was {incident?.Version ?? 0}", typeof(Incident), id);

    private static NotSupportedException Locked() => new("An incident is written with an expected version, not under a lock.");

    /// <summary>The incident document by id, as the session's <c>LoadAsync</c> reads it, as a statement of a batch query.</summary>
    private sealed class Load<T>(QuerySession session, Guid id, Func<IStorageSession, Incident?, CancellationToken, T> answer) : IQueryHandler<T>
    {
        private readonly IDocumentStorage<Incident> _storage = session.StorageFor<Incident>().TenancyStyle == TenancyStyle.Single
            ? session.StorageFor<Incident>()
            : throw new NotSupportedException("Incidents are stored for one tenant.");

        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            builder.Append($"select {string.Join(", ", _storage.SelectFields())} from {_storage.FromObject} as d where id = ");
            builder.AppendParameter(id);
        }

        public async Task<T> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token)
        {
            var incident = await reader.ReadAsync(token)
                ? await ((ISelector<Incident>)_storage.BuildSelector(session)).ResolveAsync(reader, token)
                : null;
            return answer(session, incident, token);
        }

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException();
    }
}
