using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Slipway.Dashboard.Tests;

/// <summary>
/// The keyboard-only path: sign in, reach an application through the pages, deploy it, watch its live log grow, and
/// cancel the (long) build, with Tab and Enter alone. The application is created through the API with the root token.
/// </summary>
public sealed class KeyboardCancelTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Email = "keys@example.com";
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task SignInDeployWatchAndCancel_KeyboardOnly_LongBuildIsCancelled()
    {
        await Docker.RequireAsync();
        await using var slipway = await ServedSlipway.StartAsync();
        using var api = slipway.Api();
        var server = (await api.GetFromJsonAsync<JsonElement>("/api/v1/servers", TestContext.Current.CancellationToken))[0].GetProperty("uuid").GetString();
        var project = await PostAsync(api, "/api/v1/projects", new { name = "keyboard" });
        var environment = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/environments", TestContext.Current.CancellationToken))[0].GetProperty("uuid").GetString();
        await PostAsync(api, "/api/v1/applications/dockerfile", new
        {
            project_uuid = project,
            environment_uuid = environment,
            server_uuid = server,
            name = "slow",
            ports_exposes = "3000",
            dockerfile = $"FROM {Docker.TestImage}\nRUN echo building slowly && sleep 600\n",
        });
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = slipway.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        // The first owner from the setup link, then sign out: all typed and tabbed.
        await page.GotoAsync(slipway.SetupUrl);
        await KeyboardOnly.TypeAsync(page, page.GetByLabel("E-mail address"), Email);
        await KeyboardOnly.TypeAsync(page, page.GetByLabel("Password", new() { Exact = true }), Password);
        await KeyboardOnly.TypeAsync(page, page.GetByLabel("Password again"), Password);
        await page.Keyboard.PressAsync("Enter");
        await Navigation.WaitForUrlAsync(page, "**/projects", slipway);
        await KeyboardOnly.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }));
        await Navigation.WaitForUrlAsync(page, "**/login?signedout=1", slipway);

        // Sign in.
        await KeyboardOnly.TypeAsync(page, page.GetByLabel("E-mail address"), Email);
        await KeyboardOnly.TypeAsync(page, page.GetByLabel("Password"), Password);
        await page.Keyboard.PressAsync("Enter");
        await Navigation.WaitForUrlAsync(page, "**/projects", slipway);

        // Projects → environment → application → Deploy.
        await KeyboardOnly.ActivateAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "keyboard" }));
        await KeyboardOnly.ActivateAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "production" }));
        await KeyboardOnly.ActivateAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "slow", Exact = true }));
        await KeyboardOnly.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }));
        await Navigation.WaitForUrlAsync(page, "**/deployment/*", slipway);

        // The live log grows without a reload while the build runs.
        var lines = page.Locator("#log li");
        var atLoad = await lines.CountAsync();
        await Expect(page.Locator("#deployment-status")).ToHaveTextAsync("in_progress", new() { Timeout = 120_000 });
        await Expect(lines.Nth(atLoad)).ToBeAttachedAsync(new() { Timeout = 120_000 });
        await Expect(lines.First).ToHaveTextAsync($"Started by {Email} from the dashboard.");

        // Cancel the long build from the keyboard.
        await KeyboardOnly.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Cancel deployment" }));
        await Expect(page.Locator("#deployment-status")).ToHaveTextAsync("cancelled-by-user", new() { Timeout = 60_000 });
        await Expect(page.Locator("#log")).ToContainTextAsync($"Deployment cancelled by {Email} from the dashboard.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel deployment" })).ToHaveCountAsync(0);
        await Axe.AssertAccessibleAsync(page);
    }

    private static async Task<string> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!;
    }
}
