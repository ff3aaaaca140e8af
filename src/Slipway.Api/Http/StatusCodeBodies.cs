namespace Slipway.Api.Http;

/// <summary>
/// Gives bodiless error answers under /api a Coolify-shaped JSON body: an unknown path is
/// <c>{"message":"Not found."}</c>, a wrong method <c>{"message":"Method not allowed."}</c>. Elsewhere (the dashboard)
/// a browser gets a short page saying what happened.
/// </summary>
internal static class StatusCodeBodies
{
    public static IApplicationBuilder UseApiStatusCodeBodies(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.HasStarted)
            {
                return;
            }

            if (!http.Request.Path.StartsWithSegments("/api"))
            {
                await Dashboard.ErrorPage.WriteAsync(http);
                return;
            }

            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "Not found.",
                StatusCodes.Status405MethodNotAllowed => "Method not allowed.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported media type.",
                StatusCodes.Status400BadRequest => "Bad request.",
                _ => null,
            };
            if (message is not null)
            {
                await http.Response.WriteAsJsonAsync(new ErrorResponse(message), SlipwayJson.Options);
            }
        });
}
