using System.Net;
using System.Text.Json;
using Sre.Host.Tests.Support;
using Sre.Host.Ui;

namespace Sre.Host.Tests.Ui;

/// <summary>The SLO list and the SLO page show the numbers the JSON API answers for the same data.</summary>
public sealed class UiSloPageTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_slo_list_shows_each_slos_numbers_as_the_api_answers_them_worst_budget_first()
    {
        await Client().ThreeSlosTwoHoursIn(Clock);
        var api = await Get<JsonElement>("/api/v1/slos?sort=remainingBudget");

        var page = await (await UiSession.SignedIn(Host)).Page("/ui/slos");

        Assert.Equal(api.EnumerateArray().Select(r => r.GetProperty("name").GetString()!), page.Rows("data-slo"));
        foreach (var slo in api.EnumerateArray())
        {
            // The cells as shown: objective, SLI, budget remaining, burn 1h, burn 5m (the list keeps its thousand rows small).
            var cells = page.QuerySelectorAll($"tr[data-slo='{slo.GetProperty("name").GetString()}'] td").Select(c => c.TextContent).ToList();
            Assert.Equal(SloText.Percent(slo.GetProperty("target").GetDouble(), 3), cells[3]);
            Assert.Equal(SloText.Percent(slo.GetProperty("sli").Number(), 3), cells[4]);
            Assert.Equal(SloText.Percent(slo.GetProperty("remainingBudget").GetDouble(), 1), cells[5]);
            Assert.Equal(SloText.Burn(slo.GetProperty("burnRate1h").Number()), cells[6]);
            Assert.Equal(SloText.Burn(slo.GetProperty("burnRate5m").Number()), cells[7]);
        }
        Assert.Equal("login-availability", page.Rows("data-slo")[0]);
        Assert.Contains("page", page.QuerySelector("tr[data-slo='login-availability']")!.TextContent);
    }

    [Theory]
    [InlineData("?exhausted=true", new[] { "login-availability" })]
    [InlineData("?burning=true", new[] { "login-availability", "search-availability" })]
    [InlineData("?alerting=true", new[] { "login-availability" })]
    [InlineData("?service=search", new[] { "search-availability" })]
    [InlineData("?q=check", new[] { "checkout-availability" })]
    [InlineData("?label=team%3Dpayments&sort=name", new[] { "checkout-availability", "login-availability", "search-availability" })]
    [InlineData("?label=team%3Dnone", new string[0])]
    [InlineData("?sort=name&desc=true", new[] { "search-availability", "login-availability", "checkout-availability" })]
    [InlineData("?sort=objective", new[] { "login-availability", "search-availability", "checkout-availability" })]
    public async Task the_slo_list_filters_and_sorts_as_its_url_says(string query, string[] expected)
    {
        await Client().ThreeSlosTwoHoursIn(Clock);

        var page = await (await UiSession.SignedIn(Host)).Page("/ui/slos" + query);

        Assert.Equal(expected, page.Rows("data-slo"));
    }

    [Fact]
    public async Task the_sort_headers_and_labels_link_to_the_same_view_changed_once()
    {
        await Client().ThreeSlosTwoHoursIn(Clock);

        var page = await (await UiSession.SignedIn(Host)).Page("/ui/slos?service=search&sort=name");

        Assert.Equal("/ui/slos?service=search&sort=name&desc=true", page.QuerySelector("th a[aria-sort=ascending]")!.GetAttribute("href"));
        Assert.Equal("/ui/slos?service=search&label=team%3Dpayments&sort=name",
            page.QuerySelector("tr[data-slo='search-availability'] a.label")!.GetAttribute("href"));
        // The table refreshes itself from the same view every 30 s.
        // The table refreshes itself from the same view every 30 s.
        var table = page.QuerySelector("#slo-table")!;
        Assert.Equal("every 30s", table.GetAttribute("hx-trigger"));
        Assert.Equal("/ui/slos?service=search&sort=name", table.GetAttribute("hx-get"));
        Assert.Equal("name", page.QuerySelector("form input[name=sort]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task the_slo_page_shows_the_status_the_api_answers_its_charts_and_its_definition()
    {
        await Client().ThreeSlosTwoHoursIn(Clock);
        var id = await Client().Declare("Search is slow", "search", "critical", "search-availability");
        var status = await Get<JsonElement>("/api/v1/slos/search-availability/status");
        var incident = await Get<JsonElement>($"/api/v1/incidents/{id}");
        var ui = await UiSession.SignedIn(Host);

        var page = await ui.Page("/ui/slos/search-availability");

        var tiles = page.QuerySelectorAll("#tiles .v");
        Assert.Equal(status.GetProperty("target").GetDouble(), tiles[0].Value());
        Assert.Equal(status.GetProperty("sli").GetProperty("ratio").Number(), tiles[1].Value());
        Assert.Equal(status.GetProperty("budget").GetProperty("remaining").GetDouble(), tiles[2].Value());
        var hour = status.GetProperty("burnRates").EnumerateArray().Single(b => b.GetProperty("window").GetString() == "1h");
        Assert.Equal(hour.GetProperty("burnRate").Number(), tiles[3].Value());
        Assert.Equal(status.GetProperty("timeToExhaustionSeconds").Number(), tiles[4].Value());
        Assert.Equal(status.GetProperty("conditions").GetArrayLength(), page.QuerySelectorAll("#conditions tbody tr").Length);

        // The burn-down: 121 points from the whole budget at the window's start to what the status says is left.
        var burnDown = JsonDocument.Parse(page.QuerySelector("#budget-data")!.TextContent).RootElement;
        var remaining = burnDown.GetProperty("series")[0].GetProperty("values");
        Assert.Equal(121, burnDown.GetProperty("x").GetArrayLength());
        Assert.Equal(1.0, remaining[0].GetDouble());
        Assert.Equal(status.GetProperty("budget").GetProperty("remaining").GetDouble(), remaining[120].GetDouble(), 12);
        // The burn rates over the default day in 121 steps of 12 minutes, of which the SLO's two hours hold 11.
        var burn = JsonDocument.Parse(page.QuerySelector("#burn-data")!.TextContent).RootElement;
        Assert.Equal(11, burn.GetProperty("x").GetArrayLength());
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeSeconds(), burn.GetProperty("x")[10].GetInt64());
        Assert.Contains(burn.GetProperty("series").EnumerateArray(), s => s.GetProperty("label").GetString() == "burn rate 1h");
        Assert.Contains(burn.GetProperty("series").EnumerateArray(), s => s.GetProperty("label").GetString() == "factor 14.4x");
        Assert.Contains(burn.GetProperty("markers").EnumerateArray(), m => m.GetProperty("kind").GetString() == "incident");

        // The incident's spend is the one GET /incidents/{id} answers.
        Assert.Equal(incident.GetProperty("sloBudgets")[0].GetProperty("budgetSpent").Number(),
            page.QuerySelector($"#incidents tbody td[data-value]")!.Value());
        Assert.Equal("true", page.QuerySelector("#release-gate")!.GetAttribute("data-allowed"));

        var download = await ui.Get("/ui/slos/search-availability?handler=openslo");
        Assert.Equal("application/yaml", download.Content.Headers.ContentType!.MediaType);
        var exported = await (await Client().GetAsync("/api/v1/slos/search-availability/openslo")).Content.ReadAsStringAsync();
        Assert.Equal(exported, await download.Content.ReadAsStringAsync());
        Assert.Equal(exported, page.QuerySelector("pre.yaml")!.TextContent);
    }

    [Fact]
    public async Task an_objective_of_an_openslo_slo_has_its_page_and_downloads_the_whole_slo()
    {
        var yaml = await File.ReadAllTextAsync(Repository.PathOf("tests/Host.Tests/Slos/OpenSlo/corpus/valid/05-two-objectives.yaml"));
        var imported = await Client().PostAsync("/api/v1/slos/openslo", new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        var ui = await UiSession.SignedIn(Host);

        var page = await ui.Page("/ui/slos/orders-availability.sla");

        Assert.Equal("Objective “SLA” of the OpenSLO SLO orders-availability.", page.QuerySelector("#objective")!.TextContent);
        var download = await (await ui.Get("/ui/slos/orders-availability.sla?handler=openslo")).Content.ReadAsStringAsync();
        Assert.Equal(await (await Client().GetAsync("/api/v1/slos/orders-availability/openslo")).Content.ReadAsStringAsync(), download);
        Assert.Contains("displayName: Internal", download);
    }

    [Fact]
    public async Task an_exhausted_slo_shows_its_frozen_release_gate()
    {
        await Client().ThreeSlosTwoHoursIn(Clock);

        var page = await (await UiSession.SignedIn(Host)).Page("/ui/slos/login-availability");

        Assert.Equal("false", page.QuerySelector("#release-gate")!.GetAttribute("data-allowed"));
        Assert.Contains("frozen", page.QuerySelector("#release-gate")!.TextContent);
    }

    [Fact]
    public async Task an_unknown_slo_is_not_found()
    {
        var response = await (await UiSession.SignedIn(Host)).Get("/ui/slos/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
