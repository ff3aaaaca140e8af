using Slipway.Api.Http;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

public static class CallerExtensions
{
    /// <summary>The authenticated token of this request. Only valid behind <c>RequireToken()</c> or <c>RequireAbility()</c>.</summary>
    public static TokenIdentity Caller(this HttpContext context) =>
        context.Features.Get<TokenIdentity>() ?? throw new InvalidOperationException("The request is not authenticated.");

    public static bool CanReadSensitive(this HttpContext context) => ApiAbilities.CanReadSensitive(context.Caller().Abilities);

    /// <summary>
    /// Null when the caller's token has <paramref name="ability"/> (or <c>root</c>), else Coolify's 403. For what a
    /// request body asks beyond its route's ability (<c>instant_deploy</c> on a <c>write</c> route needs <c>deploy</c>).
    /// </summary>
    public static IResult? RefuseWithout(this HttpContext context, ApiAbility ability) =>
        ApiAbilities.Allows(context.Caller().Abilities, ability) ? null : ApiResults.Forbidden(new TokenRequirement(ability).MissingMessage);
}
