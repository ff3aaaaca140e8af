using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Slipway.Api.Auth;

namespace Slipway.Api.Dashboard.Pages;

/// <summary>Sign-out is a POST (with its antiforgery token): it deletes the session row, so the cookie is dead everywhere.</summary>
public sealed class LogoutModel : DashboardPage
{
    public IActionResult OnGet() => Redirect("/projects");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(SessionAuthentication.Scheme);
        return Redirect("/login?signedout=1");
    }
}
