using Marten;
using Marten.Services;
using Npgsql;
using Sre.Domain.Backups;
using Sre.Domain.Deployments;
using Sre.Domain.Incidents;
using Sre.Domain.Releases;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Domain.Toil;
using Sre.Projections.Caching;

namespace Sre.Host.Operations;

/// <summary>
/// Drops the cache entries a commit makes stale, before the write is answered, and tells the other processes
/// through PostgreSQL NOTIFY so that their entries go within a second.
/// </summary>
public sealed class CacheInvalidationListener(ProjectionCache cache) : DocumentSessionListenerBase
{
    public const string Channel = "sre_cache";

    // NOTIFY is transactional: queued with the events, the other processes hear of them when (and only if) they commit,
    // without a round trip of its own.
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        QueueNotification(session, session.PendingChanges.Streams().SelectMany(s => s.Events));
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        Invalidate(cache, commit.GetEvents());
        return Task.CompletedTask;
    }

    /// <summary>What the listener does before a commit, for events appended outside Marten's tracking (the webhook's).</summary>
    public static void QueueNotification(IDocumentSession session, IEnumerable<JasperFx.Events.IEvent> events)
    {
        var tags = Tags(events).ToHashSet();
        if (tags.Count == 0) return;
        var payload = string.Join(',', tags);
        session.QueueSqlCommand("select pg_notify(?, ?)", Channel, payload.Length < 7_900 ? payload : "*");
    }

    /// <summary>What the listener does after a commit, for events appended outside Marten's tracking.</summary>
    public static void Invalidate(ProjectionCache cache, IEnumerable<JasperFx.Events.IEvent> events) => cache.Invalidate(Tags(events).ToHashSet());

    public static IEnumerable<string> Tags(IEnumerable<JasperFx.Events.IEvent> events)
    {
        foreach (var e in events)
        {
            yield return CacheTags.Stream(e.StreamId);
            yield return e.Data switch
            {
                IIncidentEvent => CacheTags.Incidents,
                ISloEvent => CacheTags.Slos,
                ReleaseGateOverridden or ReleaseGateBypassed => CacheTags.Releases,
                DeploymentRecorded => CacheTags.Deployments,
                IToilEvent => CacheTags.Toil,
                IBackupEvent => CacheTags.Backups,
                IDataSourceEvent => CacheTags.DataSources,
                _ => "other",
            };
        }
    }
}

/// <summary>Listens for the other processes' commits; after a lost connection nothing cached is trusted.</summary>
public sealed class CacheNotifications(ProjectionCache cache, NpgsqlDataSource dataSource, ILogger<CacheNotifications> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!cache.Enabled) return;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // One connection of the shared pool, held while the process listens (Max Pool Size counts it).
                await using var connection = await dataSource.OpenConnectionAsync(stop);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload == "*") cache.InvalidateAll();
                    else cache.Invalidate(e.Payload.Split(','));
                };
                await using (var listen = new NpgsqlCommand($"listen {CacheInvalidationListener.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stop);
                // Anything committed while no one listened may be cached: start afresh.
                cache.InvalidateAll();
                while (!stop.IsCancellationRequested) await connection.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                cache.InvalidateAll();
                logger.LogWarning(e, "Listening for cache invalidations failed; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
    }
}
