using Microsoft.Extensions.Options;

namespace Sre.Host.Operations;

public static class SreOptions
{
    /// <summary>
    /// The one way a configuration section becomes settings: bound to one options type, checked by its annotations when
    /// the host starts, so an invalid setting stops the service at once with its key named (the annotations' display names).
    /// </summary>
    public static OptionsBuilder<T> AddSreOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
