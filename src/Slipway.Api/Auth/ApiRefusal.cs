using Slipway.Api.Http;

namespace Slipway.Api.Auth;

/// <summary>The answers of authentication and authorization, in Coolify's words and shape (<c>{"message": ...}</c>).</summary>
internal static class ApiRefusal
{
    public const string Unauthenticated = "Unauthenticated.";
    public const string InvalidToken = "Invalid token.";

    public static Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ErrorResponse(message), SlipwayJson.Options);
    }
}
