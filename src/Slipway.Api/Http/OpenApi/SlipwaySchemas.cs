using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Slipway.Api.Http.OpenApi;

/// <summary>
/// Response schemas as the wire is: every property Slipway always writes is <c>required</c> (a generated client gets
/// non-optional fields), properties left out when null or unshown are not, and a <see cref="Sensitive{T}"/> field is
/// its value's type.
/// </summary>
internal sealed class SlipwaySchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Sensitive<>))
        {
            var value = type.GetGenericArguments()[0];
            var underlying = Nullable.GetUnderlyingType(value) ?? value;
            schema.Type = (underlying == typeof(string) ? JsonSchemaType.String : JsonSchemaType.Integer) | JsonSchemaType.Null;
            schema.Properties = null;
            return Task.CompletedTask;
        }

        if (context.JsonPropertyInfo is not null || context.JsonTypeInfo.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
            || type.Namespace?.StartsWith("Slipway.", StringComparison.Ordinal) != true || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            var ignore = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
                .OfType<JsonIgnoreAttribute>().FirstOrDefault();
            if (ignore is null || ignore.Condition == JsonIgnoreCondition.Never)
            {
                schema.Required.Add(property.Name);
            }
            else
            {
                // Left out when null or unshown: even a constructor parameter is not always on the wire.
                schema.Required.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}
