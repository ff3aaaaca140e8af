using System.Text.Encodings.Web;

namespace Slipway.Api.Dashboard;

/// <summary>A plain page for a bodiless error answer to a browser (an unknown page, another team's resource, a refused form).</summary>
internal static class ErrorPage
{
    public static Task WriteAsync(HttpContext http)
    {
        var accepts = http.Request.Headers.Accept.ToString();
        if (http.Request.Path.StartsWithSegments("/webhooks") || !accepts.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask;
        }

        var (title, text) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("Not found", "There is nothing here, or it belongs to another team."),
            StatusCodes.Status400BadRequest => ("Bad request", "The form could not be accepted. Go back, reload the page and try again."),
            StatusCodes.Status403Forbidden => ("Forbidden", "Your role does not allow this."),
            _ => ("Error", "Something went wrong."),
        };
        http.Response.ContentType = "text/html; charset=utf-8";
        var status = http.Response.StatusCode;
        return http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · Slipway</title></head>"
            + $"<body><main><h1>{status} {HtmlEncoder.Default.Encode(title)}</h1><p>{HtmlEncoder.Default.Encode(text)}</p>"
            + "<p><a href=\"/projects\">Back to the projects</a></p></main></body></html>");
    }
}
