namespace Slipway.Api.Dashboard.Pages;

public sealed class ForbiddenModel : DashboardPage
{
    public void OnGet()
    {
    }
}
