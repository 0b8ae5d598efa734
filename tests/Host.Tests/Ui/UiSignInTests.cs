using System.Net;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Ui;

/// <summary>Sign-in, scopes and antiforgery of the UI, through the real pipeline.</summary>
public sealed class UiSignInTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Theory]
    [InlineData("/ui/slos")]
    [InlineData("/ui/incidents")]
    [InlineData("/ui/overview")]
    [InlineData("/ui/slos/checkout-availability")]
    public async Task without_a_session_every_page_leads_to_the_sign_in_with_the_way_back(string page)
    {
        var response = await new UiSession(Host).Get(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"http://localhost/ui/signin?ReturnUrl={Uri.EscapeDataString(page)}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task the_root_leads_to_the_ui()
    {
        var response = await new UiSession(Host).Get("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/slos", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task a_known_key_signs_in_with_an_http_only_same_site_cookie_that_holds_no_key()
    {
        var ui = new UiSession(Host);

        var response = await ui.SignIn(TestKeys.Reader);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/slos", response.Headers.Location!.ToString());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sre-ui="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestKeys.Reader, cookie);
        var page = await ui.Page("/ui/slos");
        Assert.Contains("test-reader (read only)", page.QuerySelector(".who")!.TextContent);
    }

    [Theory]
    [InlineData("not-a-key", "not known")]
    [InlineData(TestKeys.Ingester, "lacks the read scope")]
    public async Task an_unknown_key_or_one_without_read_is_refused_beside_the_form(string key, string reason)
    {
        var ui = new UiSession(Host);

        var response = await ui.SignIn(key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var page = await UiSession.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, page.QuerySelector(".error")!.TextContent);
        Assert.False(ui.HasCookie("sre-ui"));
    }

    [Fact]
    public async Task a_read_key_sees_no_action_and_a_forged_action_is_forbidden_and_stores_nothing()
    {
        var id = await Client().Declare("Checkout down", "checkout", "critical");
        var ui = new UiSession(Host);
        await ui.SignIn(TestKeys.Reader);
        var page = await ui.Page($"/ui/incidents/{id}");
        Assert.Empty(page.QuerySelectorAll("form[data-action]"));
        Assert.Empty(page.QuerySelectorAll("form[action*=triage]"));
        var events = await StoredEvents();

        var forged = await ui.Post($"/ui/incidents/{id}?handler=acknowledge", page, new Dictionary<string, string> { ["version"] = "1" });

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(events, await StoredEvents());
    }

    [Fact]
    public async Task a_form_without_its_antiforgery_token_is_refused_and_stores_nothing()
    {
        var id = await Client().Declare("Checkout down", "checkout", "critical");
        var ui = new UiSession(Host);
        await ui.SignIn(TestKeys.Admin);
        var page = await ui.Page($"/ui/incidents/{id}");
        var events = await StoredEvents();

        var response = await ui.Post($"/ui/incidents/{id}?handler=acknowledge", page, new Dictionary<string, string> { ["version"] = "1" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(events, await StoredEvents());
    }

    [Theory]
    [InlineData("/ui/incidents?status=triggered", "/ui/incidents?status=triggered")]
    [InlineData("//evil.example/ui", "/ui/slos")]
    [InlineData("https://evil.example/ui", "/ui/slos")]
    [InlineData("/\\evil.example", "/ui/slos")]
    public async Task signing_in_goes_back_only_to_a_page_of_this_service(string returnUrl, string expected)
    {
        var ui = new UiSession(Host);
        var form = await ui.Page("/ui/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl));

        var response = await ui.Post("/ui/signin", form, new Dictionary<string, string> { ["key"] = TestKeys.Reader, ["returnUrl"] = returnUrl });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task an_actions_url_opened_with_get_shows_the_page_and_changes_nothing()
    {
        // As after a sign-in that came back to the URL of an action: Razor Pages runs the page's GET.
        var id = await Client().Declare("Checkout down", "checkout", "critical");
        var ui = new UiSession(Host);
        await ui.SignIn(TestKeys.Admin);
        var events = await StoredEvents();

        var page = await ui.Page($"/ui/incidents/{id}?handler=acknowledge");

        Assert.Equal("triggered", page.QuerySelector("#incident-status")!.TextContent);
        Assert.Equal(events, await StoredEvents());
        Assert.Equal(HttpStatusCode.OK, (await ui.Get("/ui/slos?handler=nope")).StatusCode);
    }

    [Fact]
    public async Task a_session_whose_htmx_request_is_refused_goes_back_to_the_page_it_was_on()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/ui/slos?service=search");
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-Current-URL", "http://localhost/ui/slos?service=search&sort=name");

        var response = await Host.Server.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/ui/signin?ReturnUrl=%2Fui%2Fslos%3Fservice%3Dsearch%26sort%3Dname", response.Headers.GetValues("HX-Redirect").Single());
    }

    [Fact]
    public async Task signing_out_ends_the_session()
    {
        var ui = new UiSession(Host);
        await ui.SignIn(TestKeys.Admin);
        var page = await ui.Page("/ui/slos");

        var response = await ui.Post("/ui/signout", page, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ui.Get("/ui/slos")).StatusCode);
    }
}
