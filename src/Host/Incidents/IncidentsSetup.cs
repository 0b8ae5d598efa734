using Sre.Host.Operations;
using Wolverine;

namespace Sre.Host.Incidents;

public static class IncidentsSetup
{
    /// <summary>
    /// The incident commands and queries are Wolverine endpoints; the commands' shared steps (<see cref="IncidentCommandPolicy"/>)
    /// and what they take from configuration.
    /// </summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddSreOptions<IncidentOptions>("Incidents");
        services.ConfigureWolverine(opts => opts.Policies.Add<IncidentCommandPolicy>());
        return services;
    }
}
