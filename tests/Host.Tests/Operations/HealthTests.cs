using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

public class HealthTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task live_answers_while_the_process_serves()
    {
        var response = await Client().GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ready_checks_the_database_the_broker_and_the_daemon()
    {
        await FiringAlert("fp1");

        var response = await Client().GetAsync("/health/ready");

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = report.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToList();
        Assert.Contains("postgresql", checks);
        Assert.Contains("async-daemon", checks);
        Assert.Contains(checks, c => c.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
        Assert.True(report.GetProperty("checks").GetProperty("async-daemon").GetProperty("data").TryGetProperty("highestSequence", out _));
    }
}
