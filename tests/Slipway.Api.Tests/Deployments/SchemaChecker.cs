using System.Text.Json;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// A deliberately small OpenAPI object-schema check: every property must be documented, carry the documented
/// JSON type, and be null only where allowed; the required properties must all be there. Returns the problems
/// found (empty when the value conforms) so a failure names every mismatch at once.
/// </summary>
internal static class SchemaChecker
{
    public static List<string> Check(JsonElement value, JsonElement schema, IReadOnlySet<string> nullable, IEnumerable<string> required)
    {
        var problems = new List<string>();
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"expected an object, got {value.ValueKind}");
            return problems;
        }

        var properties = schema.GetProperty("properties");
        foreach (var property in value.EnumerateObject())
        {
            if (!properties.TryGetProperty(property.Name, out var documented))
            {
                problems.Add($"{property.Name}: not in the schema");
                continue;
            }

            var type = documented.GetProperty("type").GetString()!;
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                var schemaNullable = documented.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
                if (!schemaNullable && !nullable.Contains(property.Name))
                {
                    problems.Add($"{property.Name}: null is not allowed");
                }

                continue;
            }

            if (!HasType(property.Value, type))
            {
                problems.Add($"{property.Name}: expected {type}, got {property.Value.ValueKind} ({property.Value.GetRawText()})");
            }
        }

        foreach (var name in required)
        {
            if (!value.TryGetProperty(name, out _))
            {
                problems.Add($"{name}: missing");
            }
        }

        return problems;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => false,
    };
}
