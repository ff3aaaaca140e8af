using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Slipway.Api.Auth;
using Slipway.Infrastructure.Users;

namespace Slipway.Api.Dashboard.Pages;

/// <summary>Sign-in with e-mail and password, throttled per e-mail and per client address across instances (<see cref="LoginThrottle"/>).</summary>
public sealed class LoginModel(UserService users, LoginThrottle throttle, DatabaseTicketStore sessions) : PageModel
{
    public const string WrongCredentials = "Wrong e-mail address or password.";

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public string? Problem { get; private set; }
    public string? Notice { get; private set; }
    public string? EmailInput { get; private set; }
    public string ReturnUrl { get; private set; } = "/projects";

    public void OnGet(string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        if (Request.Query.ContainsKey("signedout"))
        {
            Notice = "You are signed out.";
        }
    }

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Local(returnUrl);
        EmailInput = email;
        email ??= string.Empty;
        password ??= string.Empty;
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.RetryAfterAsync(email, address, cancellationToken) is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Problem = $"Too many failed sign-ins. Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minute(s).";
            return Page();
        }

        var user = await users.VerifyAsync(email, password, cancellationToken);
        if (user is null)
        {
            await throttle.RecordFailureAsync(email, address, cancellationToken);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Problem = WrongCredentials;
            return Page();
        }

        await throttle.ClearAsync(email, cancellationToken);
        await sessions.PruneAsync(cancellationToken);
        await HttpContext.SignInAsync(SessionAuthentication.Scheme, SessionPrincipal.Create(user), new AuthenticationProperties { IsPersistent = true });
        return LocalRedirect(ReturnUrl);
    }

    /// <summary>Only a path on this site: a sign-in link must not send anyone elsewhere.</summary>
    private string Local(string? returnUrl) => returnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) && !url.StartsWith("/logout", StringComparison.Ordinal) ? url : "/projects";
}
