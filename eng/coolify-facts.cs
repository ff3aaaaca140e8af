// Writes the facts of Coolify's OpenAPI document that Slipway's contract tests need: every operation's path,
// method, operationId, security, parameters, request body and response schemas, the component schemas and
// responses — with every description, summary, example and title left out. Rerun it against a newer copy of
// Coolify's document; the tests read only the facts file, so a clone of this repository needs nothing else.
//
//   dotnet run eng/coolify-facts.cs -- <coolify-openapi.json> [facts.json]          write the facts
//   dotnet run eng/coolify-facts.cs -- --check <coolify-openapi.json> [facts.json]  exit 1 when they are stale
//
// The facts file defaults to tests/Contract/coolify-facts.json. test.sh runs the --check form when
// SLIPWAY_COOLIFY_OPENAPI names a copy of Coolify's document.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

var check = args.Length > 0 && args[0] == "--check";
var rest = check ? args[1..] : args;
if (rest.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: dotnet run eng/coolify-facts.cs -- [--check] <coolify-openapi.json> [facts.json]");
    return 2;
}

var output = rest.Length == 2 ? rest[1] : Path.Combine(Facts.RepositoryRoot(), "tests", "Contract", "coolify-facts.json");
var source = JsonNode.Parse(File.ReadAllBytes(rest[0]))?.AsObject()
    ?? throw new InvalidDataException($"{rest[0]} is not a JSON object.");
var text = Facts.Serialize(Facts.Reduce(source));
if (check)
{
    var committed = File.Exists(output) ? File.ReadAllText(output) : string.Empty;
    if (committed == text)
    {
        Console.WriteLine($"{output} is up to date with {rest[0]}.");
        return 0;
    }

    Console.Error.WriteLine($"{output} differs from the facts of {rest[0]}; regenerate it: dotnet run eng/coolify-facts.cs -- {rest[0]}");
    return 1;
}

File.WriteAllText(output, text);
Console.WriteLine($"Wrote {output}: {Facts.Count(text)}.");
return 0;

/// <summary>The reduction: only keys that state a fact about the wire; field names are kept wherever they are keys.</summary>
internal static class Facts
{
    private static readonly string[] SchemaFacts =
    [
        "type", "nullable", "enum", "const", "format", "default", "deprecated", "pattern", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "required", "$ref",
    ];

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public static JsonObject Reduce(JsonObject document)
    {
        var facts = new JsonObject
        {
            ["openapi"] = document["openapi"]?.DeepClone(),
            ["operations"] = Operations(document["paths"]?.AsObject()),
        };
        var components = document["components"]?.AsObject();
        facts["schemas"] = Map(components?["schemas"]?.AsObject(), Schema);
        facts["responses"] = Map(components?["responses"]?.AsObject(), Response);
        facts["securitySchemes"] = Map(components?["securitySchemes"]?.AsObject(), Security);
        return facts;
    }

    public static string Serialize(JsonObject facts) =>
        facts.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1 }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    public static string Count(string text)
    {
        var facts = JsonNode.Parse(text)!;
        return $"{facts["operations"]!.AsObject().Count} operations, {facts["schemas"]!.AsObject().Count} schemas, {Encoding.UTF8.GetByteCount(text)} bytes";
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run this from inside the Slipway repository, or name the facts file.");
    }

    /// <summary>One entry per operation, keyed <c>"GET /deployments/{uuid}"</c>, in the document's order.</summary>
    private static JsonObject Operations(JsonObject? paths)
    {
        var operations = new JsonObject();
        foreach (var (path, item) in paths ?? [])
        {
            var shared = item?["parameters"]?.AsArray();
            foreach (var method in Methods)
            {
                if (item?[method] is not JsonObject operation)
                {
                    continue;
                }

                var reduced = new JsonObject { ["operationId"] = operation["operationId"]?.DeepClone() };
                if (operation["deprecated"] is { } deprecated)
                {
                    reduced["deprecated"] = deprecated.DeepClone();
                }

                if (operation["security"] is JsonArray security)
                {
                    reduced["security"] = new JsonArray(security.OfType<JsonObject>().SelectMany(s => s.Select(p => (JsonNode?)JsonValue.Create(p.Key))).ToArray());
                }

                var parameters = (shared ?? []).Concat(operation["parameters"]?.AsArray() ?? []).Select(Parameter).ToArray();
                if (parameters.Length > 0)
                {
                    reduced["parameters"] = new JsonArray(parameters);
                }

                if (operation["requestBody"] is JsonObject body)
                {
                    reduced["requestBody"] = new JsonObject
                    {
                        ["required"] = body["required"]?.DeepClone() ?? false,
                        ["content"] = Map(body["content"]?.AsObject(), media => Schema(media?["schema"])),
                    };
                }

                reduced["responses"] = Map(operation["responses"]?.AsObject(), Response);
                operations[$"{method.ToUpperInvariant()} {path}"] = reduced;
            }
        }

        return operations;
    }

    private static JsonNode? Parameter(JsonNode? parameter)
    {
        if (parameter?["$ref"] is { } reference)
        {
            return new JsonObject { ["$ref"] = reference.DeepClone() };
        }

        return new JsonObject
        {
            ["name"] = parameter?["name"]?.DeepClone(),
            ["in"] = parameter?["in"]?.DeepClone(),
            ["required"] = parameter?["required"]?.DeepClone() ?? false,
            ["schema"] = Schema(parameter?["schema"]),
        };
    }

    private static JsonNode? Response(JsonNode? response)
    {
        if (response?["$ref"] is { } reference)
        {
            return new JsonObject { ["$ref"] = reference.DeepClone() };
        }

        var reduced = new JsonObject();
        if (response?["headers"] is JsonObject headers)
        {
            reduced["headers"] = Map(headers, header => Schema(header?["schema"]));
        }

        reduced["content"] = Map(response?["content"]?.AsObject(), media => Schema(media?["schema"]));
        return reduced;
    }

    private static JsonNode? Security(JsonNode? scheme) =>
        new JsonObject
        {
            ["type"] = scheme?["type"]?.DeepClone(),
            ["scheme"] = scheme?["scheme"]?.DeepClone(),
        };

    /// <summary>A schema without prose; <c>properties</c> keeps every field name, nested schemas are reduced too.</summary>
    private static JsonNode? Schema(JsonNode? schema)
    {
        if (schema is not JsonObject source)
        {
            return schema?.DeepClone();
        }

        var reduced = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (SchemaFacts.Contains(key))
            {
                reduced[key] = value?.DeepClone();
            }
            else if (key is "items" or "not")
            {
                reduced[key] = Schema(value);
            }
            else if (key == "additionalProperties")
            {
                reduced[key] = value is JsonObject ? Schema(value) : value?.DeepClone();
            }
            else if (key == "properties")
            {
                reduced[key] = Map(value?.AsObject(), Schema);
            }
            else if (key is "oneOf" or "anyOf" or "allOf" && value is JsonArray list)
            {
                reduced[key] = new JsonArray(list.Select(Schema).ToArray());
            }
        }

        return reduced;
    }

    private static JsonObject Map(JsonObject? source, Func<JsonNode?, JsonNode?> reduce)
    {
        var map = new JsonObject();
        foreach (var (key, value) in source ?? [])
        {
            map[key] = reduce(value);
        }

        return map;
    }
}
