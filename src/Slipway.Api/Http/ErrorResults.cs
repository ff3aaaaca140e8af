using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Slipway.Api.Http;

/// <summary>
/// A <c>{"message": ...}</c> answer with a status <c>TypedResults</c> has no body-carrying result for (403, 405,
/// 413, 429). Each subclass states its status as endpoint metadata, as <c>TypedResults</c> do.
/// </summary>
public abstract class ErrorResult(int statusCode, string message) : IResult, IStatusCodeHttpResult, IValueHttpResult<ErrorResponse>, IValueHttpResult
{
    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public ErrorResponse Value { get; } = new(message);

    object? IValueHttpResult.Value => Value;

    public virtual Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        return httpContext.Response.WriteAsJsonAsync(Value, SlipwayJson.Options);
    }

    protected static void Produces(EndpointBuilder builder, int statusCode) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(ErrorResponse), ["application/json"]));
}

public sealed class ForbiddenError(string message) : ErrorResult(StatusCodes.Status403Forbidden, message), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status403Forbidden);
}

/// <summary>Coolify's answer to GET on an action that moved to POST: 405 with <c>Allow: POST</c>.</summary>
public sealed class PostRequiredError() : ErrorResult(StatusCodes.Status405MethodNotAllowed, "This endpoint has changed to a POST request."), IEndpointMetadataProvider
{
    public override Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.Allow = "POST";
        return base.ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status405MethodNotAllowed);
}

/// <summary>A full queue: 429 with <c>Retry-After: 60</c> (Coolify's own rate-limit answer's shape).</summary>
public sealed class TooManyRequestsError(string message) : ErrorResult(StatusCodes.Status429TooManyRequests, message), IEndpointMetadataProvider
{
    public const int RetryAfterSeconds = 60;

    public override Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return base.ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status429TooManyRequests);
}

/// <summary>
/// A request body that could not be read: 400 (malformed JSON), 413 (too large) or 422 (a field the request does
/// not take, or a value of the wrong kind). All three are stated as endpoint metadata.
/// </summary>
public sealed class BodyRejected : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private readonly IResult _answer;

    private BodyRejected(IResult answer, int statusCode)
    {
        _answer = answer;
        StatusCode = statusCode;
    }

    public int? StatusCode { get; }

    public static BodyRejected Malformed(string message) => new(ApiResults.BadRequest(message), StatusCodes.Status400BadRequest);

    public static BodyRejected TooLarge(string message) => new(new TooLargeError(message), StatusCodes.Status413PayloadTooLarge);

    public static BodyRejected Invalid(ValidationErrors errors) => new(errors.ToResult(), StatusCodes.Status422UnprocessableEntity);

    public Task ExecuteAsync(HttpContext httpContext) => _answer.ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ErrorResponse), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge, typeof(ErrorResponse), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status422UnprocessableEntity, typeof(ValidationErrorResponse), ["application/json"]));
    }

    private sealed class TooLargeError(string message) : ErrorResult(StatusCodes.Status413PayloadTooLarge, message);
}
