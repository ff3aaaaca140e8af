using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Slipway.Dashboard.Tests;

/// <summary>
/// Forms of the settings pages in Chromium against a real <c>slipway serve</c>: a created API token is answered
/// with a redirect, so reloading the page shows it and creates no second one; a server's settings and its proxy
/// settings are edited through the API's operations (their messages beside the fields, nothing stored when refused),
/// and a corrected connection is validated against the test run's real sshd.
/// </summary>
public sealed class ServerAndTokenFormsTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Email = "owner@example.com";
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task CreateToken_ThenReload_ExactlyOneTokenAndSecretGone()
    {
        await using var slipway = await ServedSlipway.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = slipway.BaseAddress.ToString() });
        var page = await SignInAsync(context, slipway);

        await page.GotoAsync("/tokens");
        await page.GetByLabel("Name").FillAsync("ci");
        await page.GetByLabel("read", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = await page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        Assert.Contains('|', secret);
        var secretPart = secret[(secret.IndexOf('|', StringComparison.Ordinal) + 1)..];
        Assert.DoesNotContain(secretPart, page.Url, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "ci", Exact = true })).ToHaveCountAsync(1);

        // The page the POST answered was a redirect's GET: reloading it sends no form again.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "ci", Exact = true })).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Token", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.DoesNotContain(secretPart, await page.ContentAsync(), StringComparison.Ordinal);

        using var client = new HttpClient { BaseAddress = slipway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        using var current = await client.GetAsync("/api/v1/tokens/current", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, current.StatusCode);
    }

    [Fact]
    public async Task ServerAndProxySettings_EditedInChromium_ApiRulesBesideFieldsAndSaved()
    {
        var ct = TestContext.Current.CancellationToken;
        var sshPort = Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_PORT")
            ?? throw new InvalidOperationException("SLIPWAY_TEST_SSH_PORT is not set: run the dashboard tests through ./test.sh, which starts sshd.");
        var sshUser = Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_USER") ?? "root";
        var keyText = await File.ReadAllTextAsync(Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_KEY")!, ct);
        await using var slipway = await ServedSlipway.StartAsync();
        using var api = slipway.Api();
        var key = await PostAsync(api, "/api/v1/security/keys", new { name = "sshd", private_key = keyText });
        // "localhost" is the test run's sshd too, but not the localhost server's 127.0.0.1; the wrong port first.
        var server = await PostAsync(api, "/api/v1/servers", new
        {
            name = "sshd",
            ip = "localhost",
            port = 1,
            user = sshUser,
            private_key_uuid = key,
            instant_validate = false,
        });
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = slipway.BaseAddress.ToString() });
        var page = await SignInAsync(context, slipway);
        await page.GotoAsync($"/server/{server}");
        await Axe.AssertAccessibleAsync(page);
        var settings = page.GetByRole(AriaRole.Form, new() { Name = "Settings" });

        // Refused by the API's rules: the message beside the field, the typed value kept, nothing stored.
        await settings.GetByLabel("SSH port").FillAsync("70000");
        await settings.GetByLabel("Concurrent builds").FillAsync("3");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#server-port-error")).ToHaveTextAsync("The port must be between 1 and 65535.");
        await Expect(settings.GetByLabel("SSH port")).ToHaveValueAsync("70000");
        await Expect(settings.GetByLabel("SSH port")).ToHaveAttributeAsync("aria-invalid", "true");
        var stored = await GetAsync(api, $"/api/v1/servers/{server}");
        Assert.Equal(1, stored.GetProperty("port").GetInt32());
        Assert.Equal(2, stored.GetProperty("settings").GetProperty("concurrent_builds").GetInt32());
        await Axe.AssertAccessibleAsync(page);

        // The localhost server's address is the API's duplicate, named beside the address.
        await settings.GetByLabel("SSH port").FillAsync(sshPort);
        await settings.GetByLabel("Address").FillAsync("127.0.0.1");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#server-ip-error")).ToHaveTextAsync("Server with this IP already exists.");

        // Corrected, saved, and validated against the real sshd.
        await settings.GetByLabel("Address").FillAsync("localhost");
        await settings.GetByLabel("Name", new() { Exact = true }).FillAsync("sshd-edited");
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Settings saved.", new() { Timeout = 60_000 });
        await Expect(page.Locator("#server-reachable")).ToHaveTextAsync("yes");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "sshd-edited", Level = 1 })).ToBeVisibleAsync();
        stored = await GetAsync(api, $"/api/v1/servers/{server}");
        Assert.Equal(int.Parse(sshPort, System.Globalization.CultureInfo.InvariantCulture), stored.GetProperty("port").GetInt32());
        Assert.Equal(3, stored.GetProperty("settings").GetProperty("concurrent_builds").GetInt32());
        Assert.True(stored.GetProperty("is_reachable").GetBoolean());

        // Proxy settings: the same port twice is the API's 422 beside the field; then saved as typed.
        var proxy = page.GetByRole(AriaRole.Form, new() { Name = "Proxy settings" });
        await proxy.GetByLabel("HTTP port").FillAsync("18080");
        await proxy.GetByLabel("HTTPS port").FillAsync("18080");
        await proxy.GetByLabel("ACME account e-mail").FillAsync("ops@example.com");
        await proxy.GetByRole(AriaRole.Button, new() { Name = "Save proxy settings" }).ClickAsync();
        await Expect(page.Locator("#proxy-https_port-error")).ToHaveTextAsync("The https_port must differ from the http_port.");
        await Expect(proxy.GetByLabel("ACME account e-mail")).ToHaveValueAsync("ops@example.com");
        var storedProxy = await GetAsync(api, $"/api/v1/servers/{server}/proxy");
        Assert.Equal(JsonValueKind.Null, storedProxy.GetProperty("acme_email").ValueKind);
        Assert.NotEqual(18080, storedProxy.GetProperty("http_port").GetInt32());
        await Axe.AssertAccessibleAsync(page);

        await proxy.GetByLabel("HTTPS port").FillAsync("18443");
        await proxy.GetByLabel("Redirect URL").FillAsync("https://example.com/");
        await proxy.GetByRole(AriaRole.Button, new() { Name = "Save proxy settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Proxy settings saved.");
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Proxy settings" }).GetByLabel("HTTPS port")).ToHaveValueAsync("18443");
        storedProxy = await GetAsync(api, $"/api/v1/servers/{server}/proxy");
        Assert.Equal(18080, storedProxy.GetProperty("http_port").GetInt32());
        Assert.Equal(18443, storedProxy.GetProperty("https_port").GetInt32());
        Assert.Equal("ops@example.com", storedProxy.GetProperty("acme_email").GetString());
        Assert.Equal("https://example.com/", storedProxy.GetProperty("redirect_url").GetString());
        Assert.Equal("NONE", storedProxy.GetProperty("proxy_type").GetString());
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, ServedSlipway slipway)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(slipway.SetupUrl);
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the owner and sign in" }).ClickAsync();
        await Navigation.WaitForUrlAsync(page, "**/projects", slipway);
        return page;
    }

    private static async Task<string> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!;
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
