using Microsoft.Playwright;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>Waits for a page to reach a URL; when it never does, the failure says where it stayed and what it showed.</summary>
internal static class Navigation
{
    public static async Task WaitForUrlAsync(IPage page, string url, ServedSlipway slipway)
    {
        try
        {
            await page.WaitForURLAsync(url);
        }
        catch (TimeoutException ex)
        {
            var shown = await page.Locator("main").InnerTextAsync(new() { Timeout = 5_000 });
            var output = slipway.Output;
            throw new TimeoutException(
                $"The page never reached {url}; it stayed at {page.Url}, showing:\n{shown}\n--- the server's last output:\n{output[Math.Max(0, output.Length - 4000)..]}", ex);
        }
    }
}
