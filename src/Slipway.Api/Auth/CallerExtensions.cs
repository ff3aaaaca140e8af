using Microsoft.AspNetCore.Authorization;
using Slipway.Api.Http;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

public static class CallerExtensions
{
    /// <summary>The authenticated token of this request. Only valid behind <c>RequireToken()</c> or <c>RequireAbility()</c>.</summary>
    public static TokenIdentity Caller(this HttpContext context) =>
        TokenPrincipal.ToToken(context.User) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static bool CanReadSensitive(this HttpContext context) => ApiAbilities.CanReadSensitive(context.Caller().Abilities);

    /// <summary>
    /// Null when the caller passes <paramref name="ability"/>'s policy (the route policies' own check), else Coolify's
    /// 403. For what a request body asks beyond its route's ability (<c>instant_deploy</c> on a <c>write</c> route needs
    /// <c>deploy</c>).
    /// </summary>
    public static async Task<ForbiddenError?> RefuseWithoutAsync(this HttpContext context, ApiAbility ability)
    {
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(context.User, AbilityPolicies.PolicyName(ability));
        return result.Succeeded ? null : ApiResults.Forbidden(new AbilityRequirement(ability).MissingMessage);
    }
}
