using System.Text.RegularExpressions;
using Ballast.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ballast.IntegrationTests.Dashboard;

public sealed partial class DashboardTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeSyncTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task EditWeightAndPublish_NodePageShowsTheNewAppliedVersion() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        var first = await cluster.PublishAndWaitSyncedAsync("before the dashboard edit");

        await using var browser = await Browser.LaunchAsync();
        var page = browser.Page;
        try
        {
            await SignInAsync(page, cluster);

            await page.GetByTestId("edit-server-app-s1").ClickAsync();
            await Expect(page.GetByTestId("edit-dialog")).ToBeVisibleAsync();
            var weight = page.GetByTestId("edit-weight");
            await weight.FillAsync("7");
            await weight.PressAsync("Tab");
            await page.GetByTestId("edit-save").ClickAsync();
            await Expect(page.GetByTestId("edit-dialog")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("server-weight-app-s1")).ToHaveTextAsync("7");

            await page.GetByTestId("publish-message").FillAsync("weight 7 from the dashboard");
            await page.GetByTestId("publish-button").ClickAsync();
            var published = page.GetByTestId("published-version");
            await Expect(published).ToHaveTextAsync(PublishedVersionText());
            var version = long.Parse(PublishedVersionText().Match(await published.InnerTextAsync()).Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture);
            cluster.Log($"dashboard published v{version}");
            Assert.True(version > first, $"published v{version} after v{first}");
            var latest = (await cluster.Admin.GetVersionsAsync()).MaxBy(v => v.Version);
            Assert.Equal(version, latest?.Version);
            Assert.Equal("weight 7 from the dashboard", latest?.Message);

            await page.GetByTestId("nav-nodes").ClickAsync();
            await Expect(page.GetByTestId($"node-row-{BallastCluster.NodeId}")).ToBeVisibleAsync();
            await Expect(page.GetByTestId($"node-applied-{BallastCluster.NodeId}"))
                .ToHaveTextAsync(new Regex($@"^\s*v?{version}\s*$"), new() { Timeout = (float)NodeSyncTimeout.TotalMilliseconds });
        }
        catch
        {
            var shot = await browser.ScreenshotAsync(nameof(EditWeightAndPublish_NodePageShowsTheNewAppliedVersion));
            cluster.Log($"page {page.Url}; screenshot: {shot ?? "(failed)"}");
            throw;
        }
        finally
        {
            foreach (var error in browser.Errors)
            {
                cluster.Log("browser " + error);
            }
        }
    });

    private static async Task SignInAsync(IPage page, BallastCluster cluster)
    {
        await page.GotoAsync(new Uri(cluster.ControlPlane.BaseUrl, "login").ToString());
        await page.GetByTestId("login-token").FillAsync(cluster.ControlPlane.Token);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    [GeneratedRegex(@"Published version (?<v>\d+)")]
    private static partial Regex PublishedVersionText();
}
