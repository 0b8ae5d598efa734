using System.ComponentModel.DataAnnotations;
using MassTransit;
using Microsoft.Extensions.Options;
using Sre.Domain.Time;
using Sre.Host.Alertmanager;
using Sre.Host.Backups;
using Sre.Host.Deployments;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Host.Toil;

namespace Sre.Host.Messaging;

/// <summary>Bus settings; configuration section "Bus".</summary>
public sealed class BusOptions
{
    /// <summary>RabbitMq (the default), or InMemory to run without a broker.</summary>
    [RegularExpression("(?i)^(RabbitMq|InMemory)$", ErrorMessage = "Bus:Transport must be RabbitMq or InMemory.")]
    public string Transport { get; set; } = "RabbitMq";
    [Required(AllowEmptyStrings = false), Display(Name = "Bus:Host")]
    public string Host { get; set; } = "127.0.0.1";
    [Range(1, ushort.MaxValue), Display(Name = "Bus:Port")]
    public ushort Port { get; set; } = 5672;
    [Required(AllowEmptyStrings = false), Display(Name = "Bus:VirtualHost")]
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";

    public bool InMemory => Transport.Equals("InMemory", StringComparison.OrdinalIgnoreCase);
}

public static class BusSetup
{
    /// <summary>MassTransit with the service's consumers; transient faults are retried with backoff, invalid messages are not.</summary>
    public static void AddSreBus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSreOptions<BusOptions>("Bus");
        // The transport is the one setting MassTransit needs before the container exists; the rest is read from the options.
        var inMemory = new BusOptions { Transport = configuration["Bus:Transport"] ?? "RabbitMq" }.InMemory;
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // Nothing leaves the platform but what the operators configure.
            bus.DisableUsageTelemetry();
            bus.AddConsumer<RecordSliObservationsConsumer>();
            bus.AddConsumer<RecordDeploymentConsumer>();
            bus.AddConsumer<AlertmanagerNotificationConsumer>();
            bus.AddConsumer<RecordToilConsumer>();
            bus.AddConsumer<RecordBackupReportConsumer>();

            void Endpoints<T>(IBusRegistrationContext context, IBusFactoryConfigurator<T> cfg) where T : IReceiveEndpointConfigurator
            {
                cfg.UseMessageRetry(r =>
                {
                    r.Ignore<InvalidMessageException>();
                    r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
                });
                // Instants arrive in UTC whatever their offset, as over HTTP.
                cfg.ConfigureJsonSerializerOptions(json =>
                {
                    json.Converters.Add(new UtcInstantJsonConverter());
                    return json;
                });
                cfg.ConfigureEndpoints(context);
            }

            if (inMemory)
            {
                bus.UsingInMemory((context, cfg) => Endpoints(context, cfg));
                return;
            }
            bus.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<BusOptions>>().Value;
                cfg.Host(options.Host, options.Port, options.VirtualHost, h =>
                {
                    h.Username(options.Username);
                    h.Password(options.Password);
                    h.PublisherConfirmation = true;
                });
                Endpoints(context, cfg);
            });
        });
    }
}
