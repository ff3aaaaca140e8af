using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Slipway.Api.Auth;
using Slipway.Infrastructure.Users;

namespace Slipway.Api.Dashboard.Pages;

/// <summary>The one-time setup URL printed at the first start: creates the first owner and signs them in.</summary>
public sealed class SetupModel(SetupTokens setup) : PageModel
{
    public bool Usable { get; private set; }
    public string Token { get; private set; } = string.Empty;
    public string? EmailInput { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Token = token ?? string.Empty;
        Usable = await setup.IsUsableAsync(token, cancellationToken);
        if (!Usable)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, string? email, string? password, string? confirm, CancellationToken cancellationToken)
    {
        Token = token ?? string.Empty;
        EmailInput = email;
        Usable = true;
        if (password != confirm)
        {
            Errors = new Dictionary<string, string[]> { ["confirm"] = ["The two passwords differ."] };
            Problem = "Some fields need attention.";
            return Page();
        }

        var outcome = await setup.UseAsync(Token, email ?? string.Empty, password ?? string.Empty, cancellationToken);
        if (outcome.User is null)
        {
            Usable = outcome.Field != "token";
            Errors = new Dictionary<string, string[]> { [outcome.Field!] = [outcome.Error!] };
            Problem = outcome.Error;
            Response.StatusCode = Usable ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status404NotFound;
            return Page();
        }

        await HttpContext.SignInAsync(SessionAuthentication.Scheme, SessionPrincipal.Create(outcome.User), new AuthenticationProperties { IsPersistent = true });
        return Redirect("/projects");
    }
}
