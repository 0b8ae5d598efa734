using Sre.Host.Operations;

namespace Sre.Host.Backups;

public static class BackupsSetup
{
    /// <summary>Backup reports written in one place, and the monitor that sweeps every target on the clock.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        services.AddSreOptions<BackupOptions>("Backups");
        services.AddSingleton<BackupWriter>();
        services.AddSingleton<BackupMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<BackupMonitor>());
        return services;
    }
}
