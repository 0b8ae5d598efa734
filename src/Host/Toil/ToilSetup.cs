using System.ComponentModel.DataAnnotations;
using Sre.Host.Operations;

namespace Sre.Host.Toil;

/// <summary>Configuration section "Toil".</summary>
public sealed class ToilOptions
{
    /// <summary>Record the response to each resolved incident as production-interrupt toil.</summary>
    public bool IncidentsAsToil { get; set; } = true;
    /// <summary>The incident label naming the team that owns the service; it wins over <see cref="Owners"/>.</summary>
    [Required(AllowEmptyStrings = false), Display(Name = "Toil:TeamLabel")]
    public string TeamLabel { get; set; } = "team";
    /// <summary>Service name to owning team.</summary>
    public Dictionary<string, string> Owners { get; set; } = new();
}

public static class ToilSetup
{
    /// <summary>Toil's endpoints, consumer and handlers are discovered; what they take from configuration.</summary>
    public static IServiceCollection AddToil(this IServiceCollection services)
    {
        services.AddSreOptions<ToilOptions>("Toil");
        return services;
    }
}
