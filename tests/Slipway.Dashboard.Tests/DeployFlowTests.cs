using System.Globalization;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Fixtures;
using Slipway.Testing;
using static Microsoft.Playwright.Assertions;

namespace Slipway.Dashboard.Tests;

/// <summary>
/// A person's path through the dashboard in Chromium, against a real <c>slipway serve</c> and Docker engine: the
/// setup link creates the first owner; sign out and in again; create a project and an application from a local git
/// repository; watch its first deployment's live log reach <c>finished</c>; the app answers; deploy again from the
/// application page with the keyboard, then roll back to the first one. Every page on the way passes an axe scan.
/// </summary>
public sealed class DeployFlowTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Email = "owner@example.com";
    private const string Password = "correct horse battery staple";
    private const string Greeting = "hello from the dashboard";
    private static readonly float DeployTimeout = 180_000;

    /// <summary>Build output that is markup: the log must show it as text and never make it an element.</summary>
    private const string MarkupLine = "<b id=injected>not markup</b>";

    [Fact]
    public async Task SetupCreateAndDeploy_InChromium_LiveLogReachesFinishedAndAppAnswers()
    {
        var port = SlipwayBinary.FreeLoopbackPort();
        using var repository = await LocalRepository.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $"""
                FROM {Docker.TestImage}
                RUN echo '{MarkupLine}' && mkdir -p /www && echo '{Greeting}' > /www/index.html
                CMD ["sh", "-c", "exec httpd -f -p \"$PORT\" -h /www"]
                """,
        });
        await using var slipway = await ServedSlipway.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = slipway.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        // The setup link creates the first owner and signs them in.
        await page.GotoAsync(slipway.SetupUrl);
        await Axe.AssertAccessibleAsync(page);
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner and sign in" }).ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/projects", slipway);

        // Sign out and in again through the sign-in page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/login?signedout=1", slipway);
        await Axe.AssertAccessibleAsync(page);
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/projects", slipway);
        await Axe.AssertAccessibleAsync(page);

        // A project, its production environment, a new application from the local repository, deployed right away.
        await page.GetByLabel("Name").FillAsync("shop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "shop", Level = 1 })).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "production" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "shop / production" })).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "New application" }).ClickAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByLabel("Git repository").FillAsync(repository.Url);
        await page.GetByLabel("Build pack").SelectOptionAsync("dockerfile");
        // Published on the loopback from the slipway network (host networking needs the server's allow_host_network).
        await page.GetByLabel("Ports the application listens on").FillAsync("3000");
        await page.GetByLabel("Published ports").FillAsync($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}:3000");
        await page.GetByLabel("Deploy right away").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create application" }).ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/deployment/*", slipway);

        // The live log: lines arrive without a reload until the status reads finished.
        await Expect(page.Locator("#deployment-status")).ToHaveTextAsync("finished", new() { Timeout = DeployTimeout });
        await Expect(page.Locator("#log")).ToContainTextAsync(MarkupLine);
        await Expect(page.Locator("#log li").First).ToHaveTextAsync($"Started by {Email} from the dashboard.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel deployment" })).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("#injected").CountAsync());
        var live = await page.Locator("#log li").AllInnerTextsAsync();
        var liveOrders = await page.Locator("#log li").EvaluateAllAsync<int[]>("items => items.map(li => Number(li.dataset.order))");
        Assert.Equal(liveOrders.Distinct().Order(), liveOrders);
        await Axe.AssertAccessibleAsync(page);
        if (Environment.GetEnvironmentVariable("SLIPWAY_DASHBOARD_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            // The README's picture of the deployment page (docs/dashboard-deployment.png) is taken here.
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }

        // What the live log showed is exactly what the server renders for the finished log: nothing lost or repeated.
        await page.ReloadAsync();
        Assert.Equal(await page.Locator("#log li").AllInnerTextsAsync(), live);

        // The application answers on its port.
        using (var http = new HttpClient())
        {
            Assert.Equal(Greeting, (await http.GetStringAsync($"http://127.0.0.1:{port}/", TestContext.Current.CancellationToken)).Trim());
        }

        // Deploy again from the application page, with the keyboard: the log names who started it.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumb" }).GetByRole(AriaRole.Link).Last.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Navigation.WaitForUrlAsync(page, "**/deployment/*", slipway);
        await Expect(page.Locator("#log li").First).ToHaveTextAsync($"Started by {Email} from the dashboard.");
        await Expect(page.Locator("#deployment-status")).ToHaveTextAsync("finished", new() { Timeout = DeployTimeout });

        // Roll back to the first deployment's image from the application page.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Breadcrumb" }).GetByRole(AriaRole.Link).Last.ClickAsync();
        var rollBack = page.GetByRole(AriaRole.Button, new() { Name = "Roll back to" });
        await Expect(rollBack).ToHaveCountAsync(1);
        await rollBack.ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/deployment/*", slipway);
        await Expect(page.Locator("#deployment-status")).ToHaveTextAsync("finished", new() { Timeout = DeployTimeout });
        await Expect(page.Locator("#log")).ToContainTextAsync("Rolling back");
        using var answer = new HttpClient();
        Assert.Equal(Greeting, (await answer.GetStringAsync($"http://127.0.0.1:{port}/", TestContext.Current.CancellationToken)).Trim());
    }
}
