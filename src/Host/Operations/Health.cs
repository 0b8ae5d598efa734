using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sre.Host.Operations;

/// <summary>
/// /health/live answers while the process serves requests; /health/ready checks what a request needs: PostgreSQL,
/// the broker (MassTransit's own check) and the async daemon's lag behind the event store.
/// </summary>
public static class Health
{
    public const string Ready = "ready";

    public static void AddSreHealthChecks(this IServiceCollection services)
    {
        services.AddSreOptions<HealthOptions>("Health");
        services.AddHealthChecks()
            // The service's own pool: the check sees what a request would.
            .AddNpgSql(sp => sp.GetRequiredService<NpgsqlDataSource>(), name: "postgresql", tags: [Ready], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<ProjectionLagHealthCheck>("async-daemon", tags: [Ready]);
    }

    public static void MapSreHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Write });
    }

    private static Task Write(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                data = e.Value.Data,
            }),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
}

/// <summary>Configuration section "Health".</summary>
public sealed class HealthOptions
{
    /// <summary>The lag (events) above which the async daemon reports Degraded.</summary>
    [Range(0L, long.MaxValue), Display(Name = "Health:MaxProjectionLag")]
    public long MaxProjectionLag { get; set; } = 10_000;
}

/// <summary>How far the integration-event subscription (run by whichever process Wolverine assigned it to) trails the event store.</summary>
public sealed class ProjectionLagHealthCheck(IDocumentStore store, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var maxLag = options.Value.MaxProjectionLag;
        var (highest, shards) = await ProjectionLag.Read(store, ct);
        var worst = shards.Values.DefaultIfEmpty(highest).Max();
        var lags = shards.ToDictionary(p => p.Key, p => (object)p.Value);
        lags["highestSequence"] = highest;
        return worst <= maxLag
            ? HealthCheckResult.Healthy($"The async daemon trails the event store by {worst} events.", lags)
            : HealthCheckResult.Degraded($"The async daemon trails the event store by {worst} events (more than {maxLag}).", data: lags);
    }
}

/// <summary>How many events each shard of the async daemon (projections, subscriptions) trails the event store by.</summary>
public static class ProjectionLag
{
    public static async Task<(long Highest, Dictionary<string, long> Shards)> Read(IDocumentStore store, CancellationToken ct)
    {
        var highest = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
        var progress = (await store.Advanced.AllProjectionProgress(token: ct))
            .Where(p => !p.ShardName.StartsWith("HighWater", StringComparison.Ordinal))
            .ToDictionary(p => p.ShardName, p => p.Sequence);
        // Every shard the daemon runs has a lag, also before it has recorded any progress (then: every event).
        var known = ((StoreOptions)store.Options).Projections.AllShards().Select(s => s.Name.Identity);
        var shards = known.Union(progress.Keys).ToDictionary(name => name, name => highest - progress.GetValueOrDefault(name));
        return (highest, shards);
    }
}
