using Microsoft.Playwright;

namespace Sre.Host.Tests.Support;

/// <summary>
/// The service as a real process on a port of its own (a schema of its own on the tests' PostgreSQL, an in-memory bus),
/// served under the path base <c>/sre</c> as behind a reverse proxy (the browser's paths are relative to it),
/// and Debian's headless Chromium driven by Playwright (<c>SRE_TEST_CHROMIUM</c>, /usr/bin/chromium; Playwright's own
/// browser download is never used). Each test gets a fresh browser context: no cookie, no stored theme.
/// </summary>
public sealed class BrowserStack : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("sre-ui-").FullName;
    private ChildProcess? _service;
    private IPlaywright? _playwright;

    public const string PathBase = "/sre";

    public string Url { get; } = $"http://127.0.0.1:{Repository.FreePort()}";
    public HttpClient Api { get; }

    public BrowserStack() => Api = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10), DefaultRequestHeaders = { Authorization = new("Bearer", TestKeys.Admin) } };

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where each test's screenshot goes: beside the test assembly, under screenshots/.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        _service = await ChildProcess.Service(Url, Path.Combine(_work, "service.log"), new Dictionary<string, string>
        {
            ["ConnectionStrings__Marten"] = TestEnvironment.ConnectionString,
            ["Marten__Schema"] = $"ui_{Guid.NewGuid():N}"[..16],
            ["Bus__Transport"] = "InMemory",
            ["PathBase"] = PathBase,
        }, Api);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("SRE_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // As root, without the sandbox; and none of Chromium's own calls home, which this machine's network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A page in a fresh context: 1280 px wide, or a phone's 390 px.</summary>
    public async Task<IPage> NewPage(ColorScheme scheme = ColorScheme.Light, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = $"{Url}{PathBase}/", ColorScheme = scheme,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the form, as a person pastes a key, and lands on the page asked for (a path under the path base).</summary>
    public static async Task SignIn(IPage page, string path, string key = TestKeys.Admin)
    {
        await page.GotoAsync(path);
        Assert.Contains($"{PathBase}/ui/signin?ReturnUrl=", page.Url);
        await page.FillAsync("#key", key);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"**{PathBase}/{path}");
    }

    public static async Task Screenshot(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        _service?.Dispose();
        Api.Dispose();
    }
}
