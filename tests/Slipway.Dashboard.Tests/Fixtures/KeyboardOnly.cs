using Microsoft.Playwright;

namespace Slipway.Dashboard.Tests.Fixtures;

/// <summary>Moves the focus as a keyboard user does: Tab until the control has it (never a click or a focus call).</summary>
internal static class KeyboardOnly
{
    private const int MaxTabs = 80;

    public static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < MaxTabs; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
        }

        Assert.Fail($"{MaxTabs} presses of Tab on {page.Url} never reached {target}.");
    }

    /// <summary>Tabs to <paramref name="target"/> and presses Enter on it.</summary>
    public static async Task ActivateAsync(IPage page, ILocator target)
    {
        await TabToAsync(page, target);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Tabs to a text input and types into it.</summary>
    public static async Task TypeAsync(IPage page, ILocator input, string text)
    {
        await TabToAsync(page, input);
        await page.Keyboard.TypeAsync(text);
    }
}
