using Microsoft.Playwright;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>
/// Headless Debian Chromium driven by Playwright (never <c>playwright install</c>). On failure call
/// <see cref="ScreenshotAsync"/> to keep a picture of the page in the test output directory.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors and page errors seen so far.</summary>
    public List<string> Errors { get; } = [];

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} not found: apt-get install -y chromium (tests/run.sh does it as root)");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
                ReducedMotion = ReducedMotion.Reduce,
            });
            context.SetDefaultTimeout(20_000);
            var page = await context.NewPageAsync();
            var session = new Browser(playwright, browser, context, page);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    session.Errors.Add("console: " + message.Text);
                }
            };
            page.PageError += (_, error) => session.Errors.Add("page: " + error);
            return session;
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Saves a full-page screenshot under <c>screenshots/</c> next to the test assembly; returns its path.</summary>
    public async Task<string?> ScreenshotAsync(string name)
    {
        try
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, $"{name}-{DateTime.Now:HHmmss}.png");
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
            return path;
        }
        catch (PlaywrightException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
