using System.Globalization;
using System.Security.Claims;
using Slipway.Core.Tokens;
using Slipway.Core.Users;

namespace Slipway.Api.Auth;

/// <summary>
/// A signed-in dashboard user as a <see cref="ClaimsPrincipal"/>: the same team and ability claims a token's
/// principal has (<see cref="TokenPrincipal"/>), so the ability policies and every handler that asks
/// <c>Caller()</c> treat both alike, plus the user's id, e-mail and role. Built from the user's row on every
/// request (<see cref="DatabaseTicketStore"/>), so a changed role counts at once.
/// </summary>
public static class SessionPrincipal
{
    public const string UserIdClaim = "slipway:user_id";
    public const string RoleClaim = "slipway:role";

    public static ClaimsPrincipal Create(User user)
    {
        var claims = new List<Claim>(8)
        {
            new(UserIdClaim, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.Email),
            new(RoleClaim, user.Role),
            new(TokenPrincipal.TeamIdClaim, user.TeamId.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(ApiAbilities.ToList(UserRoles.Abilities(user.Role)).Select(name => new Claim(TokenPrincipal.AbilityClaim, name)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SessionAuthentication.Scheme));
    }

    public static long? UserId(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(UserIdClaim), CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string Role(ClaimsPrincipal principal) => principal.FindFirstValue(RoleClaim) ?? string.Empty;
}
