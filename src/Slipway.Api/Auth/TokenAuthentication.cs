using Slipway.Api.Http;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer {id}|{secret}</c> and checks the route's ability in one step, for
/// endpoints carrying a <see cref="TokenRequirement"/>; answers failures in Coolify's words: 401
/// <c>Unauthenticated.</c>, 400 <c>Invalid token.</c> when the token's team no longer exists, 403
/// <c>Missing required permissions: ...</c>. This replaces ASP.NET's authentication handler, authorization
/// middleware and an endpoint filter, which per request built a handler, a claims principal, a policy evaluation
/// and a boxed filter context only to answer "which token, may it do this": a tenth of a cached read's cost.
/// </summary>
internal static class TokenAuthentication
{
    public static IApplicationBuilder UseTokenAuthentication(this IApplicationBuilder app) =>
        app.Use(next =>
        {
            // A singleton: resolved once here rather than from the request's services on every request.
            var tokens = app.ApplicationServices.GetRequiredService<ApiTokenService>();
            return async http =>
            {
                var requirement = http.GetEndpoint()?.Metadata.GetMetadata<TokenRequirement>();
                if (requirement is null)
                {
                    await next(http);
                    return;
                }

                var header = http.Request.Headers.Authorization.ToString();
                var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
                var check = await tokens.CheckAsync(presented, http.RequestAborted);
                switch (check.Outcome)
                {
                    case TokenCheckOutcome.Valid:
                        var identity = check.Identity!;
                        if (requirement.Ability is { } ability && !ApiAbilities.Allows(identity.Abilities, ability))
                        {
                            await RefuseAsync(http, StatusCodes.Status403Forbidden, requirement.MissingMessage);
                            return;
                        }

                        http.Features.Set(identity);
                        await next(http);
                        return;
                    case TokenCheckOutcome.TeamMissing:
                        await RefuseAsync(http, StatusCodes.Status400BadRequest, "Invalid token.");
                        return;
                    default:
                        await RefuseAsync(http, StatusCodes.Status401Unauthorized, "Unauthenticated.");
                        return;
                }
            };
        });

    private static Task RefuseAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ErrorResponse(message), SlipwayJson.Options);
    }
}
