using Microsoft.Playwright;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, which ./test.sh installs) driven by Playwright through
/// <see cref="BrowserTypeLaunchOptions.ExecutablePath"/>: Playwright's own browser downloads are never used.
/// One browser per test class; each test opens its own context (its own cookies).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"The dashboard tests need Chromium at {ExecutablePath} (./test.sh installs Debian's chromium).");
        }

        await Docker.RequireAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
