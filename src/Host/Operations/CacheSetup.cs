using Microsoft.Extensions.Options;
using Sre.Projections.Caching;

namespace Sre.Host.Operations;

public static class CacheSetup
{
    /// <summary>The LRU cache of the hot reads, dropped by this process's commits (a Marten listener) and the others' (LISTEN).</summary>
    public static IServiceCollection AddProjectionCache(this IServiceCollection services)
    {
        services.AddSreOptions<CacheOptions>("Cache");
        services.AddSingleton(sp => new ProjectionCache(sp.GetRequiredService<IOptions<CacheOptions>>().Value));
        services.AddHostedService<CacheNotifications>();
        return services;
    }
}
