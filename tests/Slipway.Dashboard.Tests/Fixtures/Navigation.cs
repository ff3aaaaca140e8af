using Microsoft.Playwright;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>
/// Waits for a page to reach a URL and finish loading it; when it does not, the failure says where the page is, what it
/// shows and what the server last printed (a sign-in once timed out on /projects' load event with nothing else to go on).
/// </summary>
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
                $"The page did not reach {url} and finish loading it; it is at {page.Url}, showing:\n{shown}\n--- the server's last output:\n{output[Math.Max(0, output.Length - 4000)..]}", ex);
        }
    }
}
