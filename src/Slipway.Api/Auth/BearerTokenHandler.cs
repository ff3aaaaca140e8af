using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// The API's authentication scheme: <c>Authorization: Bearer {id}|{secret}</c>, checked by
/// <see cref="ApiTokenService"/>. A valid token becomes a <see cref="TokenPrincipal"/>; failures are answered
/// in Coolify's words: 401 <c>Unauthenticated.</c>, or 400 <c>Invalid token.</c> when the token's team no
/// longer exists.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenService tokens, TokenPrincipals principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>Why authentication failed, for the challenge: a token whose team was deleted is a 400, not a 401.</summary>
    private sealed class TeamMissingException() : Exception("The token's team no longer exists.");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var check = await tokens.CheckAsync(header[7..].Trim(), Context.RequestAborted);
        return check.Outcome switch
        {
            TokenCheckOutcome.Valid => AuthenticateResult.Success(new AuthenticationTicket(principals.For(check.Identity!), SchemeName)),
            TokenCheckOutcome.TeamMissing => AuthenticateResult.Fail(new TeamMissingException()),
            _ => AuthenticateResult.Fail("Unauthenticated."),
        };
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is TeamMissingException)
        {
            await ApiRefusal.WriteAsync(Context, StatusCodes.Status400BadRequest, ApiRefusal.InvalidToken);
            return;
        }

        await ApiRefusal.WriteAsync(Context, StatusCodes.Status401Unauthorized, ApiRefusal.Unauthenticated);
    }
}
