using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>The UI in a real browser (Debian's headless Chromium, driven by Playwright) against the service as a process, behind a path base.</summary>
public sealed class UiBrowserTests(BrowserStack stack) : IClassFixture<BrowserStack>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>SLOs named after the test, so that the tests of this class share the service without seeing each other's.</summary>
    private async Task<string> ThreeSlos(string prefix)
    {
        foreach (var (name, target) in new[] { ("healthy", 0.999), ("burning", 0.99), ("paging", 0.9) })
            await stack.Api.DefineSlo(SloSteps.Availability($"{prefix}-{name}", target, service: prefix));
        // One slice from after the definitions to now: the real clock, so the slice cannot start earlier.
        var start = DateTimeOffset.UtcNow;
        await Repository.Eventually(() => Task.FromResult(DateTimeOffset.UtcNow > start.AddMilliseconds(10)), Wait, "the clock moves on");
        var end = DateTimeOffset.UtcNow;
        foreach (var (name, bad) in new[] { ("healthy", 0), ("burning", 20), ("paging", 800) })
        {
            var response = await stack.Api.Send(HttpMethod.Post, $"/api/v1/slos/{prefix}-{name}/observations",
                new { slices = new[] { new { start, end, good = 1000 - bad, total = 1000 } } });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        return prefix;
    }

    [Fact]
    public async Task signing_in_sorting_and_filtering_the_slo_list_is_kept_in_the_url_and_survives_a_reload()
    {
        var service = await ThreeSlos("sorted");
        var page = await stack.NewPage();

        await BrowserStack.SignIn(page, $"ui/slos?service={service}");
        Assert.Equal(["sorted-paging", "sorted-burning", "sorted-healthy"], await Names(page));

        await page.ClickAsync("th a:text-is('SLO')");
        await Expect(page, ["sorted-burning", "sorted-healthy", "sorted-paging"]);
        await UrlEndsWith(page, $"{BrowserStack.PathBase}/ui/slos?service={service}&sort=name");

        await page.CheckAsync("input[name=burning]");
        await Expect(page, ["sorted-burning", "sorted-paging"]);
        await UrlEndsWith(page, $"{BrowserStack.PathBase}/ui/slos?service={service}&burning=true&sort=name");

        await page.ReloadAsync();
        Assert.Equal(["sorted-burning", "sorted-paging"], await Names(page));
        Assert.True(await page.IsCheckedAsync("input[name=burning]"));
        Assert.Equal("ascending", await page.GetAttributeAsync("th a:text-is('SLO')", "aria-sort"));
        await BrowserStack.Screenshot(page, "slo-list");
    }

    [Fact]
    public async Task an_slo_page_draws_its_charts_with_every_point()
    {
        var service = await ThreeSlos("charted");
        var page = await stack.NewPage();

        await BrowserStack.SignIn(page, $"ui/slos/{service}-paging");

        await page.WaitForSelectorAsync("#budget-chart[data-drawn] canvas");
        await page.WaitForSelectorAsync("#burn-chart[data-drawn] canvas");
        var points = await page.EvalOnSelectorAsync<int>("#budget-data", "e => JSON.parse(e.textContent).x.length");
        Assert.Equal(121, points);
        Assert.Equal("121", await page.GetAttributeAsync("#budget-chart", "data-points"));
        var box = await page.Locator("#budget-chart canvas").BoundingBoxAsync();
        Assert.True(box is { Width: > 300, Height: > 100 }, $"the canvas is {box?.Width}x{box?.Height}");
        Assert.Contains("page", await page.TextContentAsync("#tiles") ?? "");
        await BrowserStack.Screenshot(page, "slo-page");
    }

    [Fact]
    public async Task acknowledging_and_resolving_from_the_incident_page_updates_it_in_place()
    {
        var declared = await stack.Api.PostAsJsonAsync("/api/v1/incidents", new { title = "Payments failing", service = "payments", severity = "critical" });
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        var id = (await declared.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        var page = await stack.NewPage();
        await BrowserStack.SignIn(page, $"ui/incidents/{id}");
        Assert.Equal(1, await page.Locator("#timeline li").CountAsync());

        await page.FillAsync("#by", "alice");
        await page.ClickAsync("form[data-action=acknowledge] button");
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("acknowledged");
        await Assertions.Expect(page.Locator("#timeline li")).ToHaveCountAsync(2);
        Assert.Contains("by test-admin:alice", await page.Locator("#timeline li").Last.TextContentAsync());

        await page.FillAsync("form[data-action=resolve] input[name=note]", "rolled back");
        await page.ClickAsync("form[data-action=resolve] button");
        await Assertions.Expect(page.Locator("#incident-status")).ToHaveTextAsync("resolved");
        await Assertions.Expect(page.Locator("#timeline li").Last).ToContainTextAsync("Resolved: rolled back");
        Assert.Contains("by test-admin:alice", await page.Locator("#timeline li").Last.TextContentAsync());
        // Each time is shown in UTC and, beside it, in the browser's zone.
        await Assertions.Expect(page.Locator("#timeline li").Last.Locator("time .local")).ToHaveCountAsync(1);
        await BrowserStack.Screenshot(page, "incident-page");

        // A second click of a stale form: the refusal shows beside it, nothing changes.
        await page.ClickAsync("form[data-action=acknowledge] button");
        await Assertions.Expect(page.Locator("form[data-action=acknowledge] .error")).ToContainTextAsync("cannot be acknowledged");
        var incident = await stack.Api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("resolved", incident.GetProperty("status").GetString());
    }

    [Fact]
    public async Task dark_mode_follows_the_system_and_the_toggle_is_remembered()
    {
        var page = await stack.NewPage(ColorScheme.Dark);
        await BrowserStack.SignIn(page, "ui/overview");
        Assert.Equal("rgb(14, 17, 22)", await Background(page));
        await BrowserStack.Screenshot(page, "overview-dark");

        await page.ClickAsync("#theme-toggle");
        Assert.Equal("rgb(255, 255, 255)", await Background(page));
        await page.ReloadAsync();
        Assert.Equal("rgb(255, 255, 255)", await Background(page));
        Assert.Equal("light", await page.EvaluateAsync<string>("localStorage.getItem('sre-theme')"));
        await BrowserStack.Screenshot(page, "overview-light");
    }

    /// <summary>htmx pushes the view's URL into the history after its swap.</summary>
    private static Task UrlEndsWith(IPage page, string end) =>
        Repository.Eventually(() => Task.FromResult(page.Url.EndsWith(end, StringComparison.Ordinal)), Wait, $"the URL ends with {end} (it is {page.Url})");

    [Fact]
    public async Task on_a_phone_the_pages_fit_the_screen_and_only_the_tables_scroll()
    {
        var service = await ThreeSlos("phone");
        var page = await stack.NewPage(phone: true);
        await BrowserStack.SignIn(page, $"ui/slos?service={service}");

        foreach (var path in new[] { $"ui/slos?service={service}", $"ui/slos/{service}-paging", "ui/incidents", "ui/overview" })
        {
            await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} is wider than the phone");
        }
        // The window, source and labels columns give way on a phone.
        await page.GotoAsync($"ui/slos?service={service}");
        Assert.False(await page.Locator("#slo-table tbody tr").First.Locator("td").Nth(2).IsVisibleAsync());
        await BrowserStack.Screenshot(page, "slo-list-phone");
    }

    private static Task<string> Background(IPage page) => page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");

    private static async Task<string[]> Names(IPage page) =>
        (await page.Locator("#slo-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.slo)"));

    private static async Task Expect(IPage page, string[] names) =>
        await Repository.Eventually(async () => (await Names(page)).SequenceEqual(names), Wait, $"the list shows {string.Join(", ", names)}");
}
