namespace Slipway.Api.Http;

/// <summary>Coolify's error body: <c>{"message": "..."}</c>.</summary>
public sealed record ErrorResponse(string Message);

/// <summary>Coolify's 422 body: <c>{"message": "Validation failed.", "errors": {"field": ["..."]}}</c>.</summary>
public sealed record ValidationErrorResponse(string Message, IReadOnlyDictionary<string, string[]> Errors);
