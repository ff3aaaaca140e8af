using Microsoft.AspNetCore.Mvc;

namespace Slipway.Api.Dashboard.Pages;

public sealed class IndexModel : DashboardPage
{
    public IActionResult OnGet() => Redirect("/projects");
}
