using Slipway.Core.Tokens;

namespace Slipway.Api.Auth;

/// <summary>Endpoint metadata read by <see cref="TokenAuthentication"/>: a valid token is needed, with <see cref="Ability"/> when set.</summary>
public sealed record TokenRequirement(ApiAbility? Ability)
{
    /// <summary>Coolify's 403 text for a token without the route's ability.</summary>
    public string MissingMessage { get; } =
        Ability is { } ability ? $"Missing required permissions: {string.Join(", ", ApiAbilities.ToList(ability))}" : string.Empty;
}

/// <summary>
/// Route abilities as in Coolify: the token needs any of the listed abilities (<c>root</c> passes everything),
/// otherwise 403 <c>Missing required permissions: ...</c>. Checked by <see cref="TokenAuthentication"/>.
/// </summary>
public static class AbilityFilter
{
    /// <summary>Every endpoint of the builder needs a valid token.</summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new TokenRequirement(null));

    /// <summary>The endpoint needs a valid token with <paramref name="ability"/> (the most specific requirement wins).</summary>
    public static TBuilder RequireAbility<TBuilder>(this TBuilder builder, ApiAbility ability)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new TokenRequirement(ability));
}
