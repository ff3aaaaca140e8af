using System.Text.Json.Serialization;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Secrets;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// An environment variable in the contract's shape and key order. <c>value</c>/<c>real_value</c> are present only
/// for callers that may read sensitive data, and never for a locked (<c>is_shown_once</c>) variable.
/// </summary>
public sealed class EnvironmentVariableResponse
{
    public required long Id { get; init; }
    public required string Uuid { get; init; }
    public required string? Comment { get; init; }
    public required bool IsBuildtime { get; init; }
    public required bool IsLiteral { get; init; }
    public required bool IsMultiline { get; init; }
    public required bool IsPreview { get; init; }
    public required bool IsRuntime { get; init; }
    public bool IsShared => false;
    public required bool IsShownOnce { get; init; }
    public required string Key { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RealValue { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Value { get; init; }
    public required long ResourceableId { get; init; }
    public string ResourceableType => "App\\Models\\Application";
    public required string CreatedAt { get; init; }
    public required string UpdatedAt { get; init; }

    public static EnvironmentVariableResponse From(EnvironmentVariable v, bool sensitive, ISecretProtector protector)
    {
        var value = sensitive && !v.IsShownOnce ? protector.Unprotect(v.ProtectedValue) : null;
        return new EnvironmentVariableResponse
        {
            Id = v.Id,
            Uuid = v.Uuid,
            Comment = v.Comment,
            IsBuildtime = v.IsBuildtime,
            IsLiteral = v.IsLiteral,
            IsMultiline = v.IsMultiline,
            IsPreview = v.IsPreview,
            IsRuntime = v.IsRuntime,
            IsShownOnce = v.IsShownOnce,
            Key = v.Key,
            RealValue = value,
            Value = value,
            ResourceableId = v.ApplicationId,
            CreatedAt = Timestamps.ToWire(v.CreatedAt),
            UpdatedAt = Timestamps.ToWire(v.UpdatedAt),
        };
    }
}
