using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Slipway.Api.Auth;
using Slipway.Core.Tokens;

namespace Slipway.Api.Features.Health;

public static class HealthEndpoints
{
    /// <summary>Coolify answers health and version as <c>text/html</c> (its document says so); a validating proxy checks it.</summary>
    public const string ContentType = "text/html";

    /// <summary>The version Slipway reports on <c>/api/v1/version</c>; it follows Coolify's 4.x line for client checks.</summary>
    public static string Version =>
        typeof(HealthEndpoints).Assembly.GetName().Version is { } v ? $"4.0.0-slipway.{v.Major}.{v.Minor}.{v.Build}" : "4.0.0-slipway";

    /// <summary>Health needs no token, as in Coolify.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", Healthcheck).WithName("healthcheck-root").WithTags("System").ExcludeFromDescription();
        app.MapGet("/api/v1/health", Healthcheck).WithName("healthcheck").WithTags("System").WithSummary("Liveness check (no token).")
            .Produces<string>(StatusCodes.Status200OK, ContentType);
        return app;
    }

    public static RouteGroupBuilder MapVersionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/version", () => Text(Version))
            .WithName("version").WithTags("System").WithSummary("The running version (text/html, as Coolify's).")
            .Produces<string>(StatusCodes.Status200OK, ContentType)
            .RequireAbility(ApiAbility.Read);
        return api;
    }

    private static ContentHttpResult Healthcheck() => Text("OK");

    private static ContentHttpResult Text(string text) => TypedResults.Text(text, ContentType, Encoding.UTF8);
}
