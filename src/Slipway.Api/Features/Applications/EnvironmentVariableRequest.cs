using Slipway.Api.Http;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Applications;

/// <summary>One variable in <c>POST</c>, <c>PATCH</c> and <c>PATCH …/bulk</c> (<c>{"data": [...]}</c>).</summary>
public sealed class EnvironmentVariableRequest
{
    public string? Key { get; set; }
    public string? Value { get; set; }
    public bool? IsPreview { get; set; }
    public bool? IsBuildtime { get; set; }
    public bool? IsRuntime { get; set; }
    public bool? IsLiteral { get; set; }
    public bool? IsMultiline { get; set; }
    public bool? IsShownOnce { get; set; }
    public string? Comment { get; set; }

    /// <summary>Checks the variable; <paramref name="prefix"/> names it inside a bulk request (<c>data.0.key</c>).</summary>
    public void Validate(ValidationErrors errors, string prefix = "")
    {
        errors.AddIf(prefix + "key", Key is null ? "The key field is required." : TextRules.CheckEnvKey(Key));
        errors.AddIf(prefix + "value", Value is null ? "The value field is required." : TextRules.CheckEnvValue(Value));
        if (Comment is { Length: > 255 })
        {
            errors.Add(prefix + "comment", "The comment must be at most 255 characters.");
        }
    }
}

public sealed class BulkEnvironmentVariablesRequest
{
    public EnvironmentVariableRequest[]? Data { get; set; }
}
