using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

public static class CallerExtensions
{
    /// <summary>The authenticated token of this request. Only valid behind <c>RequireToken()</c> or <c>RequireAbility()</c>.</summary>
    public static TokenIdentity Caller(this HttpContext context) =>
        TokenPrincipal.ToToken(context.User) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static bool CanReadSensitive(this HttpContext context) => ApiAbilities.CanReadSensitive(context.Caller().Abilities);
}
