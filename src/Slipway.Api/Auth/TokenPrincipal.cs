using System.Globalization;
using System.Security.Claims;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// The caller as a <see cref="ClaimsPrincipal"/>: the token's id, team and abilities as claims, which is what
/// the ability policies read and what any other scheme (a dashboard's cookie) has to produce too. A bearer
/// token's identity also carries its <see cref="TokenIdentity"/>, so handlers read it without parsing claims.
/// </summary>
public static class TokenPrincipal
{
    public const string TokenIdClaim = "slipway:token_id";
    public const string TeamIdClaim = "slipway:team_id";
    public const string AbilityClaim = "slipway:ability";
    public const string ExpiresAtClaim = "slipway:expires_at";

    public static ClaimsPrincipal Create(TokenIdentity token, string scheme)
    {
        var claims = new List<Claim>(4 + 6)
        {
            new(TokenIdClaim, token.TokenId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, token.Name),
            new(TeamIdClaim, token.TeamId.ToString(CultureInfo.InvariantCulture)),
        };
        if (token.ExpiresAt is { } expires)
        {
            claims.Add(new Claim(ExpiresAtClaim, expires.ToString("O", CultureInfo.InvariantCulture)));
        }

        claims.AddRange(ApiAbilities.ToList(token.Abilities).Select(name => new Claim(AbilityClaim, name)));
        return new ClaimsPrincipal(new TokenClaimsIdentity(token, claims, scheme));
    }

    /// <summary>The token behind the principal: carried by a bearer identity, rebuilt from the claims otherwise.</summary>
    public static TokenIdentity? ToToken(ClaimsPrincipal principal)
    {
        if (principal.Identity is TokenClaimsIdentity bearer)
        {
            return bearer.Token;
        }

        if (principal.Identity is not { IsAuthenticated: true }
            || !long.TryParse(principal.FindFirstValue(TokenIdClaim), CultureInfo.InvariantCulture, out var tokenId)
            || !long.TryParse(principal.FindFirstValue(TeamIdClaim), CultureInfo.InvariantCulture, out var teamId))
        {
            return null;
        }

        var abilities = ApiAbilities.Parse(string.Join(',', principal.FindAll(AbilityClaim).Select(c => c.Value)), out _);
        DateTime? expiresAt = DateTime.TryParse(principal.FindFirstValue(ExpiresAtClaim), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var e)
            ? e
            : null;
        return new TokenIdentity(tokenId, teamId, principal.FindFirstValue(ClaimTypes.Name) ?? string.Empty, abilities, expiresAt);
    }

    private sealed class TokenClaimsIdentity(TokenIdentity token, IEnumerable<Claim> claims, string scheme)
        : ClaimsIdentity(claims, scheme)
    {
        public TokenIdentity Token { get; } = token;
    }
}
