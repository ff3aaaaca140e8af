using Microsoft.AspNetCore.Http.HttpResults;

namespace Slipway.Api.Http;

/// <summary>
/// Builds every answer in Coolify's shape as a typed result, so no handler writes one by hand and each handler's
/// return type (<c>Results&lt;…&gt;</c>) tells the OpenAPI document every status it gives and the body of each.
/// </summary>
public static class ApiResults
{
    public const string ValidationFailed = "Validation failed.";

    /// <summary>An error whose status is decided at run time (the webhook receivers); the endpoint states its statuses with <c>Produces</c>.</summary>
    public static JsonHttpResult<ErrorResponse> Error(int statusCode, string message) =>
        TypedResults.Json(new ErrorResponse(message), SlipwayJson.Options, statusCode: statusCode);

    public static BadRequest<ErrorResponse> BadRequest(string message) => TypedResults.BadRequest(new ErrorResponse(message));

    public static NotFound<ErrorResponse> NotFound(string message) => TypedResults.NotFound(new ErrorResponse(message));

    public static Conflict<ErrorResponse> Conflict(string message) => TypedResults.Conflict(new ErrorResponse(message));

    public static ForbiddenError Forbidden(string message) => new(message);

    public static UnprocessableEntity<ValidationErrorResponse> Validation(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.UnprocessableEntity(new ValidationErrorResponse(ValidationFailed, errors));

    public static UnprocessableEntity<ValidationErrorResponse> Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static Ok<T> Ok<T>(T value) => TypedResults.Ok(value);

    public static Created<T> Created<T>(T value) => TypedResults.Created((string?)null, value);

    public static Ok<MessageResponse> Message(string message) => TypedResults.Ok(new MessageResponse(message));
}

public sealed record MessageResponse(string Message);

public sealed record UuidResponse(string Uuid);
