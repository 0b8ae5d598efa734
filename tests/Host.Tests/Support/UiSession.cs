using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Alba;

namespace Sre.Host.Tests.Support;

/// <summary>
/// A browser without a browser for the UI's page tests: requests through the real pipeline (the test server), the
/// cookies the service sets kept and sent back, redirects not followed (the tests read them), and each HTML answer
/// parsed by AngleSharp.
/// </summary>
public sealed class UiSession(IAlbaHost host)
{
    private readonly CookieContainer _cookies = new();
    private static readonly Uri Base = new("http://localhost");

    private HttpClient Client() => new(new CookieHandler(_cookies) { InnerHandler = new SettlingHandler(host.Services) { InnerHandler = host.Server.CreateHandler() } })
    {
        BaseAddress = Base,
    };

    public Task<HttpResponseMessage> Get(string url) => Client().GetAsync(url);

    /// <summary>The page at <paramref name="url"/>, which must answer 200.</summary>
    public async Task<IHtmlDocument> Page(string url)
    {
        var response = await Get(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {html}");
        return await Parse(html);
    }

    public static async Task<IHtmlDocument> Parse(string html) =>
        (IHtmlDocument)await BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html));

    /// <summary>Posts a form: the fields given, with the antiforgery token of <paramref name="from"/> unless <paramref name="withToken"/> is false.</summary>
    public Task<HttpResponseMessage> Post(string url, IDocument? from, IDictionary<string, string> fields, bool withToken = true, bool htmx = false)
    {
        var all = new Dictionary<string, string>(fields);
        if (withToken && from?.QuerySelector("input[name=__RequestVerificationToken]") is IHtmlInputElement token) all["__RequestVerificationToken"] = token.Value;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(all) };
        if (htmx) request.Headers.Add("HX-Request", "true");
        return Client().SendAsync(request);
    }

    /// <summary>Signs in with <paramref name="key"/> through the sign-in form; the answer is the form's.</summary>
    public async Task<HttpResponseMessage> SignIn(string key)
    {
        var form = await Page("/ui/signin");
        return await Post("/ui/signin", form, new Dictionary<string, string> { ["key"] = key });
    }

    /// <summary>A session signed in with <paramref name="key"/>.</summary>
    public static async Task<UiSession> SignedIn(IAlbaHost host, string key = TestKeys.Admin)
    {
        var ui = new UiSession(host);
        await ui.SignIn(key);
        return ui;
    }

    public bool HasCookie(string name) => _cookies.GetCookies(Base).Any(c => c.Name == name);

    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var uri = new Uri(Base, request.RequestUri!);
            if (cookies.GetCookieHeader(uri) is { Length: > 0 } header) request.Headers.Add("Cookie", header);
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set) cookies.SetCookies(uri, cookie);
            return response;
        }
    }
}
