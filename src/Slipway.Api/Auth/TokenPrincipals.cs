using System.Runtime.CompilerServices;
using System.Security.Claims;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// One <see cref="ClaimsPrincipal"/> per checked token, built once and reused for as long as
/// <see cref="ApiTokenService"/> hands out the same <see cref="TokenIdentity"/> (its cache entry): a cached read
/// would otherwise build a principal, an identity and 4–10 claims on every request. Principals are never changed
/// after they are built, so requests can share one.
/// </summary>
internal sealed class TokenPrincipals
{
    private readonly ConditionalWeakTable<TokenIdentity, ClaimsPrincipal> _principals = new();

    public ClaimsPrincipal For(TokenIdentity token) =>
        _principals.GetValue(token, static t => TokenPrincipal.Create(t, BearerTokenHandler.SchemeName));
}
