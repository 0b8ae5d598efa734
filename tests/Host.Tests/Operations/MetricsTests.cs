using System.Net;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

public class MetricsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task metrics_show_the_services_red_and_its_business_numbers_without_a_key()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(10));
        // 0.2% errors against a 99.9% target: burn rate 2, and the 30-day budget of these 10,000 requests spent twice.
        await Client().Observe("checkout-availability", AppFixture.Epoch, 10, 1000, 2);
        await FiringAlert("fp-metrics");
        await Client().GetAsync("/api/v1/slos/checkout-availability/status");

        var scrape = Client();
        scrape.DefaultRequestHeaders.Authorization = null;
        var response = await scrape.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("sre_slo_budget_remaining\\{[^}]*slo=\"checkout-availability\"[^}]*\\} -1(\\.0+)?\\b", text); // twice the allowance: exactly -1
        Assert.Matches("sre_slo_burn_rate\\{[^}]*slo=\"checkout-availability\"[^}]*window=\"1h\"[^}]*\\} 2(\\.0+)?\\b", text);
        Assert.Matches("sre_incidents_open\\{[^}]*service=\"checkout\"[^}]*\\} 1", text);
        Assert.Matches("sre_cache_(hits|misses)_total", text);
        Assert.Matches("http_server_request_duration_seconds_bucket\\{[^}]*http_route=\"/api/v1/slos/\\{name\\}/status\"", text);
    }
}
