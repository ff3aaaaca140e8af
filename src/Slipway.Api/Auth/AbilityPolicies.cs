using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Slipway.Core.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// Coolify's token abilities as ASP.NET Core authorization policies, one per ability (<c>ability:read</c>, ...):
/// the caller needs the route's ability (<c>root</c> passes everything), otherwise 403
/// <c>Missing required permissions: ...</c>. Policies read only the principal's claims, so a second
/// authentication scheme beside <see cref="BearerTokenHandler"/> (a dashboard's cookie) needs no change here:
/// register it, point the default scheme at a policy scheme that picks one per request, and have it produce
/// the same claims (<see cref="TokenPrincipal"/>).
/// </summary>
public static class AbilityPolicies
{
    private const string Prefix = "ability:";

    public static readonly IReadOnlyList<ApiAbility> Abilities =
        [ApiAbility.Root, ApiAbility.Read, ApiAbility.Write, ApiAbility.Deploy, ApiAbility.ReadSensitive, ApiAbility.WriteSensitive];

    public static string PolicyName(ApiAbility ability) => Prefix + ApiAbilities.ToName(ability);

    public static IServiceCollection AddSlipwayAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        var builder = services.AddAuthorizationBuilder().AddDefaultPolicy("token", p => p.RequireAuthenticatedUser());
        foreach (var ability in Abilities)
        {
            builder.AddPolicy(PolicyName(ability), p => p.RequireAuthenticatedUser().AddRequirements(new AbilityRequirement(ability)));
        }

        services.AddSingleton<TokenPrincipals>();
        services.AddSingleton<IAuthorizationHandler, AbilityRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AbilityResultHandler>();
        return services;
    }

    /// <summary>Every endpoint of the builder needs an authenticated caller.</summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization();

    /// <summary>The endpoint needs a caller with <paramref name="ability"/>; it is also what the OpenAPI document states.</summary>
    public static TBuilder RequireAbility<TBuilder>(this TBuilder builder, ApiAbility ability)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyName(ability)).WithMetadata(new AbilityRequirement(ability));
}

/// <summary>The route's ability; also endpoint metadata, read by the OpenAPI document.</summary>
public sealed class AbilityRequirement(ApiAbility ability) : IAuthorizationRequirement
{
    public ApiAbility Ability { get; } = ability;

    /// <summary>Coolify's 403 text for a caller without it.</summary>
    public string MissingMessage { get; } = $"Missing required permissions: {string.Join(", ", ApiAbilities.ToList(ability))}";
}

internal sealed class AbilityRequirementHandler : AuthorizationHandler<AbilityRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AbilityRequirement requirement)
    {
        if (TokenPrincipal.ToToken(context.User) is { } token && ApiAbilities.Allows(token.Abilities, requirement.Ability))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Answers a caller without the route's ability with Coolify's 403; challenges go to the scheme (401/400).</summary>
internal sealed class AbilityResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<AbilityRequirement>().FirstOrDefault() is { } missing)
        {
            return ApiRefusal.WriteAsync(context, StatusCodes.Status403Forbidden, missing.MissingMessage);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
