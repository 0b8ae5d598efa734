using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sre.Host.Operations;

namespace Sre.Host.Tests.Operations;

/// <summary>The service's logging keeps the levels configuration gives, with its own rule for request bodies in place.</summary>
public class LogLevelTests
{
    private static ILoggerFactory Logging(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        builder.AddSreTelemetry();
        return builder.Build().Services.GetRequiredService<ILoggerFactory>();
    }

    [Fact]
    public void the_configured_default_level_holds_for_every_category_without_a_rule_of_its_own()
    {
        var logging = Logging(("Logging:LogLevel:Default", "Warning"), ("Logging:LogLevel:Sre.Host.Slos", "Debug"));
        var client = logging.CreateLogger("Some.Library.Component");
        Assert.False(client.IsEnabled(LogLevel.Information));
        Assert.True(client.IsEnabled(LogLevel.Warning));
        // A category's own rule still wins.
        Assert.True(logging.CreateLogger("Sre.Host.Slos.Prometheus.SliPuller").IsEnabled(LogLevel.Debug));
    }

    [Fact]
    public void a_request_body_type_logs_no_errors_of_its_own_at_any_level()
    {
        var body = Logging(("Logging:LogLevel:Default", "Information")).CreateLogger(typeof(Sre.Host.Slos.SloRequest).FullName!);
        Assert.True(body.IsEnabled(LogLevel.Warning));
        Assert.False(body.IsEnabled(LogLevel.Error));
    }
}
