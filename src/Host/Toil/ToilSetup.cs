using Sre.Host.Operations;

namespace Sre.Host.Toil;

public static class ToilSetup
{
    /// <summary>Toil's endpoints and consumer are discovered; what they and the incident subscription take from configuration.</summary>
    public static IServiceCollection AddToil(this IServiceCollection services)
    {
        services.AddSreOptions<ToilOptions>("Toil");
        return services;
    }
}
