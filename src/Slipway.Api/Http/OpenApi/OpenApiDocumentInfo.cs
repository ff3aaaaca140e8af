using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Slipway.Api.Http.OpenApi;

/// <summary>Titles Slipway's own OpenAPI document and declares the bearer token scheme (Coolify's name for it).</summary>
internal sealed class OpenApiDocumentInfo : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearerAuth";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Slipway",
            Version = Features.Health.HealthEndpoints.Version,
            Description = "Self-hosted deployments with a Coolify-compatible /api/v1. Authenticate with `Authorization: Bearer <id>|<secret>`; "
                + "each operation names the token ability it needs (`x-slipway-ability`; `root` passes every check).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A Slipway API token: `{id}|{secret}`.",
        };
        return Task.CompletedTask;
    }
}
