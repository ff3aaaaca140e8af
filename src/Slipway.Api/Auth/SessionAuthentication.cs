using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Slipway.Core.Tokens;

namespace Slipway.Api.Auth;

/// <summary>
/// The dashboard's cookie scheme beside the API's bearer scheme. The default scheme is a policy scheme that picks
/// one per request: a request with an <c>Authorization</c> header is the API's; one carrying the session cookie to
/// an endpoint marked <see cref="SessionsAllowed"/> (the pages, and the log event stream) is the session's;
/// anything else is the API's, so every other <c>/api/v1</c> route still answers a cookie-only caller
/// 401 <c>Unauthenticated.</c> and the API takes no cookie a cross-site form could ride on.
/// </summary>
public static class SessionAuthentication
{
    public const string Scheme = "Session";
    public const string SelectorScheme = "Slipway";
    public const string CookieName = "slipway_session";
    public const string DashboardPolicy = "dashboard";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static AuthenticationBuilder AddSessionScheme(this AuthenticationBuilder builder)
    {
        builder.AddPolicyScheme(SelectorScheme, null, o => o.ForwardDefaultSelector = Select);
        builder.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request is HTTPS (directly, or as forwarded headers from a trusted proxy say).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/forbidden";
            o.ExpireTimeSpan = Lifetime;
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized, ApiRefusal.Unauthenticated);
            o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden, "Forbidden.");
        });
        builder.Services.AddSingleton<DatabaseTicketStore>();
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<DatabaseTicketStore>((options, store) => options.SessionStore = store);
        builder.Services.AddSingleton<IAuthorizationHandler, SessionLogsHandler>();
        return builder;
    }

    /// <summary>The endpoint takes a dashboard session (as well as a token, for API routes).</summary>
    public static TBuilder AllowSessions<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(SessionsAllowed.Instance);

    private static string Select(HttpContext context) =>
        !context.Request.Headers.ContainsKey("Authorization")
        && context.Request.Cookies.ContainsKey(CookieName)
        && context.GetEndpoint()?.Metadata.GetMetadata<SessionsAllowed>() is not null
            ? Scheme
            : BearerTokenHandler.SchemeName;

    /// <summary>Pages are sent to the sign-in page; the event stream (an API route) gets the API's answer instead.</summary>
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status, string message)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return ApiRefusal.WriteAsync(context.HttpContext, status, message);
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Endpoint metadata: a dashboard session may call it.</summary>
public sealed class SessionsAllowed
{
    public static readonly SessionsAllowed Instance = new();
}

/// <summary>
/// Lets a signed-in member (who reads, but not <c>read:sensitive</c>) follow a deployment's log on an endpoint that
/// takes sessions: logs are redacted when stored, and the roles let every member watch them. Tokens still
/// need <c>read:sensitive</c> there, as before.
/// </summary>
internal sealed class SessionLogsHandler : AuthorizationHandler<AbilityRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AbilityRequirement requirement)
    {
        if (requirement.Ability == ApiAbility.ReadSensitive
            && context.Resource is HttpContext http
            && http.GetEndpoint()?.Metadata.GetMetadata<SessionsAllowed>() is not null
            && SessionPrincipal.UserId(context.User) is not null
            && TokenPrincipal.ToToken(context.User) is { } caller
            && ApiAbilities.Allows(caller.Abilities, ApiAbility.Read))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
