using System.ComponentModel.DataAnnotations;
using Sre.Domain.Alertmanager;
using Sre.Host.Operations;

namespace Sre.Host.Alertmanager;

/// <summary>Configuration section "Alertmanager": how notifications become incidents, and the webhook's writers.</summary>
public sealed class AlertmanagerOptions
{
    [Required(AllowEmptyStrings = false), Display(Name = "Alertmanager:ServiceLabel")]
    public string ServiceLabel { get; set; } = "service";

    [Required(AllowEmptyStrings = false), Display(Name = "Alertmanager:SeverityLabel")]
    public string SeverityLabel { get; set; } = "severity";

    /// <summary>Resolve an incident (actor "alertmanager") once every one of its alerts is reported resolved; never a declared one.</summary>
    public bool AutoResolve { get; set; } = true;

    /// <summary>
    /// Writers, each with its own queue; a group's notifications always go to the same one. With two, one batch is
    /// decided and serialised while the other waits on PostgreSQL (bench/RESULTS.md).
    /// </summary>
    [Range(1, 64), Display(Name = "Alertmanager:Writers")]
    public int Writers { get; set; } = 2;

    /// <summary>
    /// Per writer, how many groups' current incidents it keeps as it last stored them, least recently used dropped
    /// first. A batch then reads their groups and alerts, not the incidents; the version check of every append catches
    /// another writer's change. Three at least: the LRU's smallest.
    /// </summary>
    [Range(3, 10_000_000), Display(Name = "Alertmanager:HeldGroups")]
    public int HeldGroups { get; set; } = 1_000;

    /// <summary>
    /// Per held incident that the writer opened itself, up to how many of its alerts' statuses it keeps too. While it
    /// has them all and the incident is open, a notification of the group is decided without reading anything; beyond
    /// this, the incident's alerts are read as for a group not held.
    /// </summary>
    [Range(0, 1_000_000), Display(Name = "Alertmanager:HeldAlerts")]
    public int HeldAlerts { get; set; } = 256;

    /// <summary>What the pure ingestion rule needs of these.</summary>
    public IngestOptions Ingest => new() { ServiceLabel = ServiceLabel, SeverityLabel = SeverityLabel, AutoResolve = AutoResolve };
}

public static class AlertmanagerSetup
{
    /// <summary>The webhook's writers (group commit), run as a hosted service.</summary>
    public static IServiceCollection AddAlertmanager(this IServiceCollection services)
    {
        services.AddSreOptions<AlertmanagerOptions>("Alertmanager");
        services.AddSingleton<AlertIngestor>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertIngestor>());
        return services;
    }
}
