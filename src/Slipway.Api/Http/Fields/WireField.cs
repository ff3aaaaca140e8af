using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Api.Http.Fields;

/// <summary>The JSON kinds a request field accepts.</summary>
public enum WireKind
{
    String,
    Boolean,
    Integer,

    /// <summary>A JSON integer of up to 64 bits (sizes in bytes).</summary>
    Integer64,
    StringArray,
}

/// <summary>
/// One row of a resource's field table: the wire name, its JSON kind, the rule a value must pass (it also sees
/// <c>null</c>, so each field says what null means), where an accepted value goes, and the facts its OpenAPI schema
/// states. Requests, updates and their OpenAPI schemas are all built from these rows, so a field name is written
/// once; <see cref="WireFields{T}"/> refuses a table with a name twice or a required field it does not hold.
/// </summary>
public sealed class WireField<T>
{
    private readonly Func<T, object?, string, string?> _rule;
    private readonly Action<T, object?>? _assign;

    private WireField(string name, WireKind kind, Func<T, object?, string, string?> rule, Action<T, object?>? assign)
    {
        if (!FieldName.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a snake_case wire name.", nameof(name));
        }

        Name = name;
        Kind = kind;
        _rule = rule;
        _assign = assign;
    }

    public string Name { get; }

    public WireKind Kind { get; }

    /// <summary>The response field that shows this value (usually the same name); null for write-only fields.</summary>
    public string? ShownAs { get; private init; }

    /// <summary>Whether the schema admits <c>null</c> (the rule accepts it: it clears the value or means the default).</summary>
    public bool Nullable { get; private init; }

    public string? Pattern { get; private init; }
    public IReadOnlyList<string>? Enum { get; private init; }
    public long? Minimum { get; private init; }
    public long? Maximum { get; private init; }
    public int? MaxLength { get; private init; }

    /// <summary>What a required field that was not sent (or sent empty) is told; by default "The X field is required.".</summary>
    public string MissingMessage => _missing ?? $"The {Name} field is required.";

    private string? _missing;

    /// <summary>True when the handler reads the value itself (placement, tags, flags of the request): no assignment.</summary>
    public bool ReadByHandler => _assign is null;

    public static WireField<T> Text(string name, Func<string?, string, string?> rule, Action<T, string?>? assign) =>
        Text(name, (_, v, f) => rule(v, f), assign);

    /// <summary>A string field whose rule also sees the request's target (for rules that depend on settings).</summary>
    public static WireField<T> Text(string name, Func<T, string?, string, string?> rule, Action<T, string?>? assign) =>
        new(name, WireKind.String, (t, v, f) => rule(t, (string?)v, f), assign is null ? null : (t, v) => assign(t, (string?)v)) { ShownAs = name };

    public static WireField<T> Flag(string name, Func<bool?, string, string?> rule, Action<T, bool?>? assign) =>
        new(name, WireKind.Boolean, (_, v, f) => rule((bool?)v, f), assign is null ? null : (t, v) => assign(t, (bool?)v)) { ShownAs = name };

    public static WireField<T> Integer(string name, Func<int?, string, string?> rule, Action<T, int?>? assign) =>
        Integer(name, (_, v, f) => rule(v, f), assign);

    /// <summary>An integer field whose rule also sees the request's target.</summary>
    public static WireField<T> Integer(string name, Func<T, int?, string, string?> rule, Action<T, int?>? assign) =>
        new(name, WireKind.Integer, (t, v, f) => rule(t, (int?)v, f), assign is null ? null : (t, v) => assign(t, (int?)v)) { ShownAs = name };

    /// <summary>A 64-bit integer field (a size in bytes).</summary>
    public static WireField<T> Integer64(string name, Func<long?, string, string?> rule, Action<T, long?>? assign) =>
        new(name, WireKind.Integer64, (_, v, f) => rule((long?)v, f), assign is null ? null : (t, v) => assign(t, (long?)v)) { ShownAs = name };

    public static WireField<T> Texts(string name, Func<string[]?, string, string?> rule, Action<T, string[]?>? assign) =>
        new(name, WireKind.StringArray, (_, v, f) => rule((string[]?)v, f), assign is null ? null : (t, v) => assign(t, (string[]?)v)) { ShownAs = name };

    public WireField<T> Shown(string? responseName) => Copy(responseName, Nullable, Pattern, Enum, Minimum, Maximum, MaxLength);

    public WireField<T> WriteOnly() => Shown(null);

    public WireField<T> AcceptsNull() => Copy(ShownAs, true, Pattern, Enum, Minimum, Maximum, MaxLength);

    public WireField<T> Matching(string pattern) => Copy(ShownAs, Nullable, pattern, Enum, Minimum, Maximum, MaxLength);

    public WireField<T> OneOf(IReadOnlyList<string> values) => Copy(ShownAs, Nullable, Pattern, values, Minimum, Maximum, MaxLength);

    public WireField<T> Between(long minimum, long maximum) => Copy(ShownAs, Nullable, Pattern, Enum, minimum, maximum, MaxLength);

    public WireField<T> AtMost(int maxLength) => Copy(ShownAs, Nullable, Pattern, Enum, Minimum, Maximum, maxLength);

    public WireField<T> WhenMissing(string message)
    {
        var copy = Copy(ShownAs, Nullable, Pattern, Enum, Minimum, Maximum, MaxLength);
        copy._missing = message;
        return copy;
    }

    /// <summary>The value as sent, converted to the field's kind; false (with the 422 message) when the JSON kind is wrong.</summary>
    internal bool TryRead(JsonElement element, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        try
        {
            switch (Kind)
            {
                case WireKind.String when element.ValueKind == JsonValueKind.String:
                    value = element.GetString();
                    return true;
                case WireKind.Boolean when element.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    value = element.GetBoolean();
                    return true;
                case WireKind.Integer when element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number):
                    value = number;
                    return true;
                case WireKind.Integer64 when element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var large):
                    value = large;
                    return true;
                case WireKind.StringArray when element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String):
                    value = element.EnumerateArray().Select(i => i.GetString()!).ToArray();
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            // A string JsonDocument could not decode: the same answer as a value of the wrong kind.
        }

        error = $"The {Name} field must be {Describe(Kind)}.";
        return false;
    }

    /// <summary>Checks the value against the rule and, when it passes, assigns it; the rule's message goes into <paramref name="errors"/>.</summary>
    internal bool Check(T target, object? value, ValidationErrors errors)
    {
        if (_rule(target, value, Name) is { } error)
        {
            errors.Add(Name, error);
            return false;
        }

        return true;
    }

    internal void Assign(T target, object? value) => _assign?.Invoke(target, value);

    /// <summary>The facts of this field as a JSON Schema (OpenAPI 3.1) object.</summary>
    public JsonObject ToSchema()
    {
        var type = Kind switch
        {
            WireKind.String => "string",
            WireKind.Boolean => "boolean",
            WireKind.Integer or WireKind.Integer64 => "integer",
            _ => "array",
        };
        var schema = new JsonObject { ["type"] = Nullable ? new JsonArray(type, "null") : type };
        if (Kind == WireKind.Integer64)
        {
            schema["format"] = "int64";
        }

        if (Kind == WireKind.StringArray)
        {
            schema["items"] = new JsonObject { ["type"] = "string" };
        }

        if (Pattern is not null)
        {
            schema["pattern"] = Pattern;
        }

        if (Enum is not null)
        {
            schema["enum"] = new JsonArray([.. Enum.Select(v => (JsonNode)v), .. Nullable ? new JsonNode?[] { null } : []]);
        }

        if (Minimum is not null)
        {
            schema["minimum"] = Minimum;
        }

        if (Maximum is not null)
        {
            schema["maximum"] = Maximum;
        }

        if (MaxLength is not null)
        {
            schema["maxLength"] = MaxLength;
        }

        return schema;
    }

    private static string Describe(WireKind kind) => kind switch
    {
        WireKind.String => "a string",
        WireKind.Boolean => "true or false",
        WireKind.Integer or WireKind.Integer64 => "an integer",
        _ => "an array of strings",
    };

    private WireField<T> Copy(string? shown, bool nullable, string? pattern, IReadOnlyList<string>? values, long? minimum, long? maximum, int? maxLength) =>
        new(Name, Kind, _rule, _assign)
        {
            ShownAs = shown,
            Nullable = nullable,
            Pattern = pattern,
            Enum = values,
            Minimum = minimum,
            Maximum = maximum,
            MaxLength = maxLength,
            _missing = _missing,
        };
}

internal static partial class FieldName
{
    public static bool IsValid(string name) => SnakeCase().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*\\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SnakeCase();
}
