using System.Text.Json.Nodes;

namespace Slipway.Api.Http.Fields;

/// <summary>Endpoint metadata: the request body is read against this field set; the OpenAPI document states its schema.</summary>
public sealed record RequestFields(string SchemaName, bool Required, Func<JsonObject> Schema);

/// <summary>Endpoint metadata: query parameters the handler reads itself (with its own, Laravel-worded checks), for the OpenAPI document.</summary>
public sealed record QueryParameters(IReadOnlyList<string> Names);

public static class RequestFieldsEndpoints
{
    /// <summary>The handler reads these query parameters itself; the document lists them (optional strings).</summary>
    public static TBuilder WithQueryParameters<TBuilder>(this TBuilder builder, params string[] names)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new QueryParameters(names));

    /// <summary>
    /// The endpoint reads its JSON body against <paramref name="fields"/> (<see cref="WireBody{T}"/>): its schema
    /// becomes the operation's request body, with the answers reading can give (400 malformed JSON, 413 too large,
    /// 422 an unknown field, a value of the wrong kind or one that breaks a rule).
    /// </summary>
    public static RouteHandlerBuilder AcceptsFields<T>(this RouteHandlerBuilder builder, WireFields<T> fields) =>
        builder.AcceptsFields(new RequestFields(fields.SchemaName, fields.Required.Count > 0, fields.ToSchema));

    /// <summary>As above, for a body that is not one field set (a list of them).</summary>
    public static RouteHandlerBuilder AcceptsFields(this RouteHandlerBuilder builder, RequestFields fields) =>
        builder.WithMetadata(fields)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ValidationErrorResponse>(StatusCodes.Status422UnprocessableEntity);
}
