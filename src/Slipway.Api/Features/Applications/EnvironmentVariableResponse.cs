using System.Text.Json.Nodes;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Secrets;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// An environment variable in the contract's shape. <c>value</c>/<c>real_value</c> are present only for callers
/// that may read sensitive data, and never for a locked (<c>is_shown_once</c>) variable.
/// </summary>
internal static class EnvironmentVariableResponse
{
    public static JsonObject From(EnvironmentVariable v, bool sensitive, ISecretProtector protector)
    {
        var json = new JsonObject
        {
            ["id"] = v.Id,
            ["uuid"] = v.Uuid,
            ["comment"] = v.Comment,
            ["is_buildtime"] = v.IsBuildtime,
            ["is_literal"] = v.IsLiteral,
            ["is_multiline"] = v.IsMultiline,
            ["is_preview"] = v.IsPreview,
            ["is_runtime"] = v.IsRuntime,
            ["is_shared"] = false,
            ["is_shown_once"] = v.IsShownOnce,
            ["key"] = v.Key,
        };
        if (sensitive && !v.IsShownOnce)
        {
            var value = protector.Unprotect(v.ProtectedValue);
            json["real_value"] = value;
            json["value"] = value;
        }

        json["resourceable_id"] = v.ApplicationId;
        json["resourceable_type"] = "App\\Models\\Application";
        json["created_at"] = Timestamps.ToWire(v.CreatedAt);
        json["updated_at"] = Timestamps.ToWire(v.UpdatedAt);
        return json;
    }
}
