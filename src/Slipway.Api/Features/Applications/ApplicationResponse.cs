using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Secrets;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// An application on the wire, in the contract's <c>Application</c> shape for what Slipway supports and in
/// Coolify's key order (<c>id, uuid, description, name</c>, the rest alphabetical, then the timestamps).
/// Secrets (webhook secrets, the inline Dockerfile, the deploy key id) are present only for callers that may
/// read sensitive data, as Coolify does. The basic-auth password is never returned (only its hash is stored).
/// </summary>
internal static class ApplicationResponse
{
    public static JsonObject From(Application a, bool sensitive, ISecretProtector protector)
    {
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["base_directory"] = a.BaseDirectory,
            ["build_pack"] = a.BuildPack,
            ["custom_docker_run_options"] = a.CustomDockerRunOptions,
            ["destination_id"] = a.ServerId,
            ["destination_type"] = "App\\Models\\StandaloneDocker",
            ["docker_registry_image_name"] = a.DockerRegistryImageName,
            ["docker_registry_image_tag"] = a.DockerRegistryImageTag,
            ["dockerfile_location"] = a.DockerfileLocation,
            ["environment_id"] = a.EnvironmentId,
            ["fqdn"] = a.Fqdn,
            ["git_branch"] = a.GitBranch,
            ["git_commit_sha"] = a.GitCommitSha,
            ["git_full_url"] = null,
            ["git_repository"] = a.GitRepository,
            ["health_check_enabled"] = a.HealthCheckEnabled,
            ["health_check_host"] = a.HealthCheckHost,
            ["health_check_interval"] = a.HealthCheckInterval,
            ["health_check_method"] = a.HealthCheckMethod,
            ["health_check_path"] = a.HealthCheckPath,
            ["health_check_port"] = a.HealthCheckPort,
            ["health_check_response_text"] = a.HealthCheckResponseText,
            ["health_check_retries"] = a.HealthCheckRetries,
            ["health_check_return_code"] = a.HealthCheckReturnCode,
            ["health_check_scheme"] = a.HealthCheckScheme,
            ["health_check_start_period"] = a.HealthCheckStartPeriod,
            ["health_check_timeout"] = a.HealthCheckTimeout,
            ["health_check_type"] = "http",
            ["http_basic_auth_username"] = a.HttpBasicAuthUsername,
            ["is_http_basic_auth_enabled"] = a.IsHttpBasicAuthEnabled,
            ["limits_cpus"] = a.LimitsCpus,
            ["limits_memory"] = a.LimitsMemory,
            ["ports_exposes"] = a.PortsExposes,
            ["ports_mappings"] = a.PortsMappings,
            ["preview_deployments_limit"] = a.PreviewDeploymentsLimit,
            ["preview_url_template"] = a.PreviewUrlTemplate,
            ["redirect"] = a.Redirect,
            ["settings"] = Settings(a),
            ["source_id"] = null,
            ["static_image"] = a.StaticImage,
            ["static_server"] = a.StaticServer,
            ["status"] = a.Status,
            ["watch_paths"] = a.WatchPaths,
        };
        if (sensitive)
        {
            fields["dockerfile"] = a.Dockerfile;
            fields["private_key_id"] = a.PrivateKeyId;
            fields["manual_webhook_secret_github"] = Reveal(a.ProtectedWebhookSecretGithub, protector);
            fields["manual_webhook_secret_gitlab"] = Reveal(a.ProtectedWebhookSecretGitlab, protector);
            fields["manual_webhook_secret_bitbucket"] = Reveal(a.ProtectedWebhookSecretBitbucket, protector);
            fields["manual_webhook_secret_gitea"] = Reveal(a.ProtectedWebhookSecretGitea, protector);
        }

        var json = new JsonObject
        {
            ["id"] = a.Id,
            ["uuid"] = a.Uuid,
            ["description"] = a.Description,
            ["name"] = a.Name,
        };
        foreach (var (key, value) in fields)
        {
            json[key] = value;
        }

        json["created_at"] = Timestamps.ToWire(a.CreatedAt);
        json["updated_at"] = Timestamps.ToWire(a.UpdatedAt);
        return json;
    }

    private static JsonObject Settings(Application a) => new()
    {
        ["application_id"] = a.Id,
        ["disable_build_cache"] = a.DisableBuildCache,
        ["docker_images_to_keep"] = a.DockerImagesToKeep,
        ["is_auto_deploy_enabled"] = a.IsAutoDeployEnabled,
        ["is_force_https_enabled"] = a.IsForceHttpsEnabled,
        ["is_git_shallow_clone_enabled"] = a.IsGitShallowCloneEnabled,
        ["is_git_submodules_enabled"] = a.IsGitSubmodulesEnabled,
        ["is_gzip_enabled"] = a.IsGzipEnabled,
        ["is_pr_deployments_public_enabled"] = a.IsPrDeploymentsPublicEnabled,
        ["is_preview_deployments_enabled"] = a.IsPreviewDeploymentsEnabled,
        ["is_stripprefix_enabled"] = a.IsStripprefixEnabled,
        ["stop_grace_period"] = a.StopGracePeriod,
    };

    private static string? Reveal(string? protectedValue, ISecretProtector protector) =>
        protectedValue is null ? null : protector.Unprotect(protectedValue);

    public static string FormatId(long id) => id.ToString(CultureInfo.InvariantCulture);
}
