using System.Net;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

public class SloQueryValidationTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Theory]
    [InlineData("/api/v1/slos/checkout-availability/status?at=yesterday", "at")]
    [InlineData("/api/v1/slos/checkout-availability/budget-history?from=2026-11-20T10:00:00Z&to=2026-11-20T09:00:00Z", "from")]
    [InlineData("/api/v1/slos/checkout-availability/budget-history?from=2026-01-01T00:00:00Z&to=2026-11-20T00:00:00Z&step=1m", "step")]
    [InlineData("/api/v1/slos/checkout-availability/budget-history?step=often", "step")]
    [InlineData("/api/v1/slos?label=team", "label")]
    [InlineData("/api/v1/services/checkout/deployments/00000000-0000-0000-0000-000000000001/impact?window=soon", "window")]
    [InlineData("/api/v1/services/checkout/incident-stats?window=forever", "window")]
    public async Task a_bad_query_argument_is_400_naming_it(string url, string field)
    {
        await Client().DefineSlo(SloSteps.Availability());

        var response = await Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v1/slos/nope")]
    [InlineData("/api/v1/slos/nope/status")]
    [InlineData("/api/v1/slos/nope/budget-history")]
    [InlineData("/api/v1/slos/nope/openslo")]
    public async Task an_unknown_slo_is_404(string url) =>
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync(url)).StatusCode);
}
