using System.Text.Json;

namespace Slipway.Api.Http.Fields;

/// <summary>
/// A request body read against a <see cref="WireFields{T}"/>: a field the set does not declare is a 422 naming it,
/// a value of the wrong JSON kind is a 422 naming it, malformed JSON a 400 and an oversized body a 413 (see
/// <see cref="JsonBody"/>). Reading checks only the kinds; <see cref="Apply"/> runs each sent field's rule and
/// assignment later, so a handler can answer 404 for a missing parent before it judges the values.
/// </summary>
public sealed class WireBody<T>
{
    private readonly Dictionary<WireField<T>, object?> _values;

    private WireBody(WireFields<T> fields, Dictionary<WireField<T>, object?> values, BodyRejected? failure)
    {
        Fields = fields;
        _values = values;
        Failure = failure;
    }

    public WireFields<T> Fields { get; }

    /// <summary>The answer to send instead (400, 413 or 422), or null when every field was understood.</summary>
    public BodyRejected? Failure { get; }

    public static async Task<WireBody<T>> ReadAsync(HttpRequest request, WireFields<T> fields, CancellationToken cancellationToken)
    {
        var (document, failure) = await JsonBody.ParseAsync(request, cancellationToken);
        if (failure is not null)
        {
            return new WireBody<T>(fields, [], failure);
        }

        using (document)
        {
            return Read(document?.RootElement, fields);
        }
    }

    /// <summary>Reads one JSON object (a whole body, or an item of a bulk request); null reads as an empty body.</summary>
    public static WireBody<T> Read(JsonElement? root, WireFields<T> fields)
    {
        var values = new Dictionary<WireField<T>, object?>();
        if (root is null)
        {
            return new WireBody<T>(fields, values, null);
        }

        var errors = new ValidationErrors();
        foreach (var property in root.Value.EnumerateObject())
        {
            if (!fields.TryGet(property.Name, out var field))
            {
                errors.Add(property.Name, fields.Unsupported.TryGetValue(property.Name, out var why) ? why : JsonBody.NotAllowed);
            }
            else if (field.TryRead(property.Value, out var value, out var error))
            {
                values[field] = value;
            }
            else
            {
                errors.Add(field.Name, error!);
            }
        }

        return new WireBody<T>(fields, values, errors.HasErrors ? BodyRejected.Invalid(errors) : null);
    }

    /// <summary>True when the caller sent the field (null included).</summary>
    public bool Has(WireField<T> field) => _values.ContainsKey(field);

    /// <summary>The value sent, or null when the field was not sent (or sent as null).</summary>
    public string? Text(WireField<T> field) => _values.GetValueOrDefault(Own(field)) as string;

    public bool? Flag(WireField<T> field) => _values.GetValueOrDefault(Own(field)) as bool?;

    public int? Integer(WireField<T> field) => _values.GetValueOrDefault(Own(field)) as int?;

    public long? Integer64(WireField<T> field) => _values.GetValueOrDefault(Own(field)) as long?;

    public string[]? Texts(WireField<T> field) => _values.GetValueOrDefault(Own(field)) as string[];

    /// <summary>
    /// Runs the rule of every field sent, in the table's order, and assigns each value that passes to
    /// <paramref name="target"/>; then names every required field that is missing or empty. Errors are collected,
    /// never thrown, for one 422 (the target is not saved then).
    /// </summary>
    public void Apply(T target, ValidationErrors errors)
    {
        foreach (var field in Fields.Fields)
        {
            if (_values.TryGetValue(field, out var value) && field.Check(target, value, errors))
            {
                field.Assign(target, value);
            }
        }

        RequireAll(errors);
    }

    /// <summary>The checks of <see cref="Apply"/> without the assignments, for a handler with more to check before it changes anything.</summary>
    public void Validate(T target, ValidationErrors errors)
    {
        foreach (var field in Fields.Fields)
        {
            if (_values.TryGetValue(field, out var value))
            {
                field.Check(target, value, errors);
            }
        }

        RequireAll(errors);
    }

    /// <summary>The assignments of <see cref="Apply"/>, after <see cref="Validate"/> found nothing wrong.</summary>
    public void Assign(T target)
    {
        foreach (var field in Fields.Fields)
        {
            if (_values.TryGetValue(field, out var value))
            {
                field.Assign(target, value);
            }
        }
    }

    private void RequireAll(ValidationErrors errors)
    {
        foreach (var field in Fields.Required)
        {
            Require(field, errors);
        }
    }

    /// <summary>Adds "The X field is required." unless the field was sent with a value (or already has an error).</summary>
    public void Require(WireField<T> field, ValidationErrors errors)
    {
        var value = _values.GetValueOrDefault(Own(field));
        if ((value is null || value is string { Length: 0 }) && !errors.Has(field.Name))
        {
            errors.Add(field.Name, field.MissingMessage);
        }
    }

    private WireField<T> Own(WireField<T> field) =>
        Fields.TryGet(field.Name, out var own) && ReferenceEquals(own, field)
            ? field
            : throw new InvalidOperationException($"{Fields.SchemaName} has no field '{field.Name}'.");
}
