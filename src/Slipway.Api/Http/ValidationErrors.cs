namespace Slipway.Api.Http;

/// <summary>Collects every field error of a request (collect, don't throw) for one 422 answer.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }

        return this;
    }

    /// <summary>Adds <paramref name="error"/> when it is not null (validators return null for valid input).</summary>
    public ValidationErrors AddIf(string field, string? error) => error is null ? this : Add(field, error);

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public Microsoft.AspNetCore.Http.HttpResults.UnprocessableEntity<ValidationErrorResponse> ToResult() => ApiResults.Validation(ToDictionary());
}
