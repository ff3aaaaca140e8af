using Microsoft.AspNetCore.Http.HttpResults;

namespace Slipway.Api.Http;

/// <summary>Builds every error body in Coolify's shape so no handler writes one by hand.</summary>
public static class ApiResults
{
    public const string ValidationFailed = "Validation failed.";

    public static JsonHttpResult<ErrorResponse> Error(int statusCode, string message) =>
        TypedResults.Json(new ErrorResponse(message), SlipwayJson.Options, statusCode: statusCode);

    public static JsonHttpResult<ErrorResponse> BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    public static JsonHttpResult<ErrorResponse> NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    public static JsonHttpResult<ErrorResponse> Conflict(string message) => Error(StatusCodes.Status409Conflict, message);

    public static JsonHttpResult<ErrorResponse> Forbidden(string message) => Error(StatusCodes.Status403Forbidden, message);

    public static JsonHttpResult<ValidationErrorResponse> Validation(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Json(new ValidationErrorResponse(ValidationFailed, errors), SlipwayJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity);

    public static JsonHttpResult<ValidationErrorResponse> Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static JsonHttpResult<T> Ok<T>(T value) => TypedResults.Json(value, SlipwayJson.Options);

    public static JsonHttpResult<T> Created<T>(T value) => TypedResults.Json(value, SlipwayJson.Options, statusCode: StatusCodes.Status201Created);

    public static JsonHttpResult<MessageResponse> Message(string message, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(new MessageResponse(message), SlipwayJson.Options, statusCode: statusCode);
}

public sealed record MessageResponse(string Message);

public sealed record UuidResponse(string Uuid);
