using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Secrets;
using Slipway.Core.Validation;
using Field = Slipway.Api.Http.Fields.WireField<Slipway.Api.Features.Applications.EnvironmentVariableDraft>;

namespace Slipway.Api.Features.Applications;

/// <summary>What a variable request writes into: the row (new or found by key and set) and the protector its value needs.</summary>
public sealed class EnvironmentVariableDraft(EnvironmentVariable variable, ISecretProtector protector)
{
    public EnvironmentVariable Variable { get; } = variable;
    public ISecretProtector Protector { get; } = protector;
}

/// <summary>
/// The environment variable fields, once each. A flag that is not sent keeps its value; a locked
/// (<c>is_shown_once</c>) variable stays locked: Coolify never unlocks one through the API.
/// </summary>
public static class EnvironmentVariableTable
{
    public static readonly Field Key = Field.Text("key", (v, f) => v is null ? $"The {f} field is required." : TextRules.CheckEnvKey(v), (d, v) => d.Variable.Key = v!)
        .AtMost(255).Matching("^[A-Za-z_][A-Za-z0-9_.]*$");
    public static readonly Field Value = Field.Text("value", (v, f) => v is null ? $"The {f} field is required." : TextRules.CheckEnvValue(v),
        (d, v) => d.Variable.ProtectedValue = d.Protector.Protect(v!)).AtMost(65536);
    public static readonly Field IsPreview = Field.Flag("is_preview", Rules.Any, (d, v) => d.Variable.IsPreview = v ?? false).AcceptsNull();
    public static readonly Field IsBuildtime = Field.Flag("is_buildtime", Rules.Any, (d, v) => d.Variable.IsBuildtime = v ?? d.Variable.IsBuildtime).AcceptsNull();
    public static readonly Field IsRuntime = Field.Flag("is_runtime", Rules.Any, (d, v) => d.Variable.IsRuntime = v ?? d.Variable.IsRuntime).AcceptsNull();
    public static readonly Field IsLiteral = Field.Flag("is_literal", Rules.Any, (d, v) => d.Variable.IsLiteral = v ?? d.Variable.IsLiteral).AcceptsNull();
    public static readonly Field IsMultiline = Field.Flag("is_multiline", Rules.Any, (d, v) => d.Variable.IsMultiline = v ?? d.Variable.IsMultiline).AcceptsNull();
    public static readonly Field IsShownOnce = Field.Flag("is_shown_once", Rules.Any, (d, v) => d.Variable.IsShownOnce = d.Variable.IsShownOnce || (v ?? false)).AcceptsNull();
    public static readonly Field Comment = Field.Text("comment", (v, f) => v is { Length: > 255 } ? $"The {f} must be at most 255 characters." : null,
        (d, v) => d.Variable.Comment = v ?? d.Variable.Comment).AcceptsNull().AtMost(255);

    /// <summary>One variable: <c>POST</c> and <c>PATCH …/envs</c>, and each item of <c>PATCH …/envs/bulk</c> (<c>{"data": [...]}</c>).</summary>
    public static readonly WireFields<EnvironmentVariableDraft> One = new(
        "EnvironmentVariableRequest", [Key, Value, IsPreview, IsBuildtime, IsRuntime, IsLiteral, IsMultiline, IsShownOnce, Comment], required: [Key, Value]);

    /// <summary><c>PATCH …/envs/bulk</c>: <c>{"data": [variable, ...]}</c>, each item as <see cref="One"/>.</summary>
    public static readonly RequestFields Bulk = new("BulkEnvironmentVariablesRequest", true, () => new System.Text.Json.Nodes.JsonObject
    {
        ["type"] = "object",
        ["properties"] = new System.Text.Json.Nodes.JsonObject
        {
            [EnvironmentVariablesEndpoints.BulkData] = new System.Text.Json.Nodes.JsonObject { ["type"] = "array", ["items"] = One.ToSchema() },
        },
        ["required"] = new System.Text.Json.Nodes.JsonArray(EnvironmentVariablesEndpoints.BulkData),
        ["additionalProperties"] = false,
    });
}
