using Slipway.Api.Http;
using Slipway.Core.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// Route abilities as in Coolify: the token needs any of the listed abilities (<c>root</c> passes everything),
/// otherwise 403 <c>Missing required permissions: ...</c>.
/// </summary>
public static class AbilityFilter
{
    public static TBuilder RequireAbility<TBuilder>(this TBuilder builder, ApiAbility ability)
        where TBuilder : IEndpointConventionBuilder
    {
        var message = $"Missing required permissions: {string.Join(", ", ApiAbilities.ToList(ability))}";
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.Caller();
            return ApiAbilities.Allows(caller.Abilities, ability) ? await next(context) : ApiResults.Forbidden(message);
        });
        return builder;
    }
}
