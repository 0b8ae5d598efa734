using Sre.Host.Operations;

namespace Sre.Host.Incidents;

public static class IncidentsSetup
{
    /// <summary>The incident commands and queries are Wolverine endpoints; what they take from configuration.</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddSreOptions<IncidentOptions>("Incidents");
        return services;
    }
}
