using System.Net;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Slipway.Dashboard.Tests;

/// <summary>
/// The team's settings pages in Chromium against a real <c>slipway serve</c>: a private key (never shown back), a
/// server reached over the test run's real sshd and validated with its log, its proxy status, an API token created
/// (the secret shown once, and working) and revoked (refused from then on), a member added. Every page passes axe.
/// </summary>
public sealed class AdminPagesTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Email = "admin@example.com";
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task KeysServersTokensTeam_InChromium_WorkAndPassAxe()
    {
        var sshPort = Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_PORT")
            ?? throw new InvalidOperationException("SLIPWAY_TEST_SSH_PORT is not set: run the dashboard tests through ./test.sh, which starts sshd.");
        var keyText = await File.ReadAllTextAsync(Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_KEY")!, TestContext.Current.CancellationToken);
        await using var slipway = await ServedSlipway.StartAsync();
        // A team of its own with an owner made by the CLI: the root team's localhost server already has 127.0.0.1,
        // where the test run's sshd listens.
        var team = (await slipway.RunCommandAsync(null, "teams", "create", "--name", "ops")).Trim().Split('\n')[^1].Trim();
        await slipway.RunCommandAsync(Password + "\n", "users", "create", "--email", Email, "--team", team, "--role", "owner");
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = slipway.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/login");
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/projects", slipway);

        // A private key: listed by name and fingerprint, never shown back.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Private keys" }).ClickAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByLabel("Name").FillAsync("sshd");
        await page.GetByLabel("Private key").FillAsync(keyText);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add key" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Private key added.");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "SHA256:" })).ToHaveCountAsync(1);
        Assert.DoesNotContain("PRIVATE KEY", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await page.GetByLabel("Private key").InputValueAsync());
        await Axe.AssertAccessibleAsync(page);

        // A server on the test run's sshd, validated right away: its log and proxy status.
        await page.GetByRole(AriaRole.Link, new() { Name = "Servers" }).ClickAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("sshd");
        await page.GetByLabel("Address").FillAsync("127.0.0.1");
        await page.GetByLabel("SSH port").FillAsync(sshPort);
        await page.GetByLabel("SSH user").FillAsync(Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_USER") ?? "root");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add server" }).ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/server/*", slipway);
        await Expect(page.Locator("#server-reachable")).ToHaveTextAsync("yes");
        await Expect(page.Locator("#validation-log")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#proxy-status")).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Validate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Validated", new() { Timeout = 60_000 });

        // An API token: the secret once, working; revoked, refused.
        await page.GetByRole(AriaRole.Link, new() { Name = "API tokens" }).ClickAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByLabel("Name").FillAsync("ci");
        await page.GetByLabel("read", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("deploy", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = await page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        await Axe.AssertAccessibleAsync(page);
        using var client = new HttpClient { BaseAddress = slipway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        using (var current = await client.GetAsync("/api/v1/tokens/current", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        }

        // A later visit never shows the secret.
        await page.GotoAsync("/tokens");
        Assert.DoesNotContain(secret[(secret.IndexOf('|', StringComparison.Ordinal) + 1)..], await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token ci" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Token revoked.");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "ci" })).ToContainTextAsync("revoked");
        using (var revoked = await client.GetAsync("/api/v1/tokens/current", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        // A member joins the team.
        await page.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await Axe.AssertAccessibleAsync(page);
        await page.GetByLabel("E-mail address").FillAsync("member@example.com");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("member");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("member@example.com added as member.");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "member@example.com" })).ToHaveCountAsync(1);
        await Axe.AssertAccessibleAsync(page);
    }
}
