using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Slipway.Api.Auth;
using Slipway.Api.Http.Fields;
using Slipway.Core.Tokens;

namespace Slipway.Api.Http.OpenApi;

/// <summary>
/// What endpoint metadata says beyond the handler's types: the request body's schema (from its field set), the
/// bearer scheme and the ability the route needs, and the answers authentication gives (401
/// <c>Unauthenticated.</c>, 400 <c>Invalid token.</c>, 403 <c>Missing required permissions: ...</c>).
/// </summary>
internal sealed class SlipwayOperations : IOpenApiOperationTransformer
{
    public const string AbilityExtension = "x-slipway-ability";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document.");
        if (metadata.OfType<RequestFields>().LastOrDefault() is { } fields)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[fields.SchemaName] = Parse(fields.Schema(), document);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = fields.Required,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(fields.SchemaName, document) },
                },
            };
        }

        foreach (var name in metadata.OfType<QueryParameters>().SelectMany(q => q.Names))
        {
            operation.Parameters ??= [];
            if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Query))
            {
                operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }
        }

        if (!metadata.OfType<IAuthorizeData>().Any())
        {
            return;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiDocumentInfo.BearerScheme, document)] = [] }];
        await context.GetOrCreateSchemaAsync(typeof(ErrorResponse), null, cancellationToken);
        var error = new OpenApiSchemaReference(nameof(ErrorResponse), document);
        operation.Responses ??= [];
        AddResponse(operation, HttpStatusCode.Unauthorized, "No token, or not a valid one: `Unauthenticated.`", error);
        AddResponse(operation, HttpStatusCode.BadRequest, "The token's team no longer exists (`Invalid token.`), or the request is malformed.", error);
        if (metadata.OfType<AbilityRequirement>().LastOrDefault() is { } ability)
        {
            var name = ApiAbilities.ToName(ability.Ability);
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[AbilityExtension] = new JsonNodeExtension(JsonValue.Create(name));
            operation.Description = $"{operation.Description}{(operation.Description is null ? null : "\n\n")}Needs a token with the `{name}` ability (or `root`).".TrimStart();
            AddResponse(operation, HttpStatusCode.Forbidden, $"The token lacks the `{name}` ability: `{ability.MissingMessage}`", error);
        }
    }

    private static void AddResponse(OpenApiOperation operation, HttpStatusCode status, string description, IOpenApiSchema schema)
    {
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(code, out var existing) && existing.Content?.Count > 0)
        {
            return;
        }

        operation.Responses[code] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    /// <summary>A JSON Schema written by a field set, as the OpenAPI model holds it.</summary>
    private static OpenApiSchema Parse(JsonObject schema, OpenApiDocument document) =>
        OpenApiModelFactory.Parse<OpenApiSchema>(schema.ToJsonString(), OpenApiSpecVersion.OpenApi3_1, document, out _, "json")
        ?? throw new InvalidOperationException("A field set wrote a schema the OpenAPI reader cannot read.");
}
