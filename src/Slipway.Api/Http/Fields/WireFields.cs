using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Slipway.Api.Http.Fields;

/// <summary>
/// The fields one request accepts (a create, an update), picked from a resource's table, with the ones it
/// requires and the contract fields Slipway knows but refuses (a 422 "not supported" rather than "not allowed").
/// Built once at start-up: a name twice, or a required field that is not in the set, throws there.
/// </summary>
public sealed class WireFields<T>
{
    private readonly FrozenDictionary<string, WireField<T>> _byName;

    public WireFields(string schemaName, IEnumerable<WireField<T>> fields, IEnumerable<WireField<T>>? required = null, IReadOnlyDictionary<string, string>? unsupported = null)
    {
        SchemaName = schemaName;
        Fields = fields.ToArray();
        var duplicate = Fields.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{schemaName}: the field '{duplicate.Key}' is in the table twice.");
        }

        _byName = Fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        Required = (required ?? []).ToArray();
        foreach (var field in Required)
        {
            if (!_byName.TryGetValue(field.Name, out var own) || !ReferenceEquals(own, field))
            {
                throw new InvalidOperationException($"{schemaName}: the required field '{field.Name}' is not one of its fields.");
            }
        }

        Unsupported = unsupported ?? FrozenDictionary<string, string>.Empty;
        if (Unsupported.Keys.FirstOrDefault(_byName.ContainsKey) is { } both)
        {
            throw new InvalidOperationException($"{schemaName}: '{both}' is both a field and unsupported.");
        }
    }

    /// <summary>Refuses each of <paramref name="unsupported"/> with the general "not supported by Slipway" message.</summary>
    public WireFields(string schemaName, IEnumerable<WireField<T>> fields, IReadOnlySet<string> unsupported, IEnumerable<WireField<T>>? required = null)
        : this(schemaName, fields, required, unsupported.ToDictionary(n => n, _ => JsonBody.NotSupported, StringComparer.Ordinal))
    {
    }

    /// <summary>The name of the request's schema in the OpenAPI document.</summary>
    public string SchemaName { get; }

    public IReadOnlyList<WireField<T>> Fields { get; }

    public IReadOnlyList<WireField<T>> Required { get; }

    /// <summary>Fields of the contract this request refuses, each with the reason given in the 422.</summary>
    public IReadOnlyDictionary<string, string> Unsupported { get; }

    public bool TryGet(string name, out WireField<T> field) => _byName.TryGetValue(name, out field!);

    /// <summary>This set with <paramref name="more"/> fields added (a create that accepts what an update does, and more).</summary>
    public WireFields<T> With(string schemaName, IEnumerable<WireField<T>> more, IEnumerable<WireField<T>>? required = null) =>
        new(schemaName, Fields.Concat(more), required ?? Required, Unsupported);

    /// <summary>The request body's JSON Schema: every field with its facts, the required ones listed, nothing else allowed.</summary>
    public JsonObject ToSchema()
    {
        var properties = new JsonObject();
        foreach (var field in Fields)
        {
            properties[field.Name] = field.ToSchema();
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
        if (Required.Count > 0)
        {
            schema["required"] = new JsonArray(Required.Select(f => (JsonNode)f.Name).ToArray());
        }

        return schema;
    }
}
