using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>An axe-core scan of the page as it is now: no serious or critical violation may be found.</summary>
internal static class Axe
{
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"axe on {page.Url}:\n" + string.Join("\n", bad.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
    }
}
