using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Slipway.Api.Http;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer {id}|{secret}</c> and answers failures in Coolify's words:
/// 401 <c>Unauthenticated.</c>, or 400 <c>Invalid token.</c> when the token's team no longer exists.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SlipwayBearer";
    private const string TeamMissingKey = "slipway.team-missing";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var check = await tokens.CheckAsync(header[7..].Trim(), Context.RequestAborted);
        switch (check.Outcome)
        {
            case TokenCheckOutcome.Valid:
                var identity = check.Identity!;
                Context.Features.Set(identity);
                var principal = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.NameIdentifier, identity.TokenId.ToString()), new Claim("team", identity.TeamId.ToString())],
                    SchemeName));
                return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
            case TokenCheckOutcome.TeamMissing:
                Context.Items[TeamMissingKey] = true;
                return AuthenticateResult.Fail("The token's team no longer exists.");
            default:
                return AuthenticateResult.Fail("Unauthenticated.");
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var teamMissing = Context.Items.ContainsKey(TeamMissingKey);
        var status = teamMissing ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;
        var message = teamMissing ? "Invalid token." : "Unauthenticated.";
        Response.StatusCode = status;
        return Response.WriteAsJsonAsync(new ErrorResponse(message), SlipwayJson.Options);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(new ErrorResponse("You are not authorized to perform this action."), SlipwayJson.Options);
    }
}
