using Microsoft.AspNetCore.Diagnostics;

namespace Slipway.Api.Http;

/// <summary>
/// Last resort for /api: an unhandled exception becomes a 500 in Coolify's error shape, never an HTML page or
/// a stack trace. Bad input never gets here; it is answered with 4xx where it is read.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            await httpContext.Response.WriteAsJsonAsync(new ErrorResponse(BadRequestMessage(bad.StatusCode)), SlipwayJson.Options, cancellationToken);
            return true;
        }

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await httpContext.Response.WriteAsJsonAsync(new ErrorResponse("Internal server error."), SlipwayJson.Options, cancellationToken);
        return true;
    }

    private static string BadRequestMessage(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status408RequestTimeout => "The request took too long to arrive.",
        _ => "Bad request.",
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
