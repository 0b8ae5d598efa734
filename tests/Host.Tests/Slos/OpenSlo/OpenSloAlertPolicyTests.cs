using System.Text;
using JasperFx.Events;
using Sre.Domain.Slos;
using Sre.Host.Messaging;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos.OpenSlo;

/// <summary>What an OpenSLO alert policy's flags do beyond its condition: a cleared alert told or not on the bus.</summary>
public class OpenSloAlertPolicyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    [Theory]
    [InlineData("orders-availability.internal", false)] // 05: alertWhenResolved: false
    [InlineData("payments-availability", true)] // 01: alertWhenResolved: true
    public async Task a_cleared_alert_goes_on_the_bus_unless_the_policy_says_not_to(string slo, bool told)
    {
        foreach (var file in new[] { "01-every-kind-by-reference.yaml", "05-two-objectives.yaml" })
        {
            var yaml = await File.ReadAllTextAsync(Repository.PathOf($"tests/Host.Tests/Slos/OpenSlo/corpus/valid/{file}"));
            Assert.True((await Client().PostAsync("/api/v1/slos/openslo", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).IsSuccessStatusCode);
        }
        await using var session = Store.QuerySession();
        IEvent Stored<T>(T data) where T : notnull => new Event<T>(data) { StreamId = SloIds.For(slo), Version = 2, Id = Guid.NewGuid() };

        var raised = await IntegrationEventMap.From(Stored(new BurnRateAlertRaised("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4, 20, 20, T, "evaluator")), session, default);
        var cleared = await IntegrationEventMap.From(Stored(new BurnRateAlertCleared("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4, 1, 1, T, "evaluator")), session, default);

        Assert.Single(raised);
        Assert.Equal(told ? 1 : 0, cleared.Count);
    }
}
