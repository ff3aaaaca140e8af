namespace Slipway.Api.Features.Applications;

/// <summary>
/// Settings every kind of application accepts, with Coolify's field names. Properties are nullable so a PATCH
/// can tell "not sent" from "sent"; <see cref="Http.JsonBody"/> rejects any field not declared here.
/// </summary>
public class ApplicationSettingsRequest
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Domains { get; set; }
    public string? PortsExposes { get; set; }
    public string? PortsMappings { get; set; }
    public bool? HealthCheckEnabled { get; set; }
    public string? HealthCheckPath { get; set; }
    public string? HealthCheckPort { get; set; }
    public string? HealthCheckHost { get; set; }
    public string? HealthCheckMethod { get; set; }
    public int? HealthCheckReturnCode { get; set; }
    public string? HealthCheckScheme { get; set; }
    public string? HealthCheckResponseText { get; set; }
    public int? HealthCheckInterval { get; set; }
    public int? HealthCheckTimeout { get; set; }
    public int? HealthCheckRetries { get; set; }
    public int? HealthCheckStartPeriod { get; set; }
    public string? LimitsMemory { get; set; }
    public string? LimitsCpus { get; set; }
    public string? CustomDockerRunOptions { get; set; }
    public string? ManualWebhookSecretGithub { get; set; }
    public string? ManualWebhookSecretGitlab { get; set; }
    public string? ManualWebhookSecretBitbucket { get; set; }
    public string? ManualWebhookSecretGitea { get; set; }
    public bool? IsPreviewDeploymentsEnabled { get; set; }
    public bool? IsPrDeploymentsPublicEnabled { get; set; }
    public string? PreviewUrlTemplate { get; set; }

    /// <summary>Slipway addition: how many pull requests may have a preview at once (1-100, default 3).</summary>
    public int? PreviewDeploymentsLimit { get; set; }
    public int? DockerImagesToKeep { get; set; }
    public int? StopGracePeriod { get; set; }
    public bool? InstantDeploy { get; set; }
}

/// <summary>Where a new application lives: project, environment (by name or uuid) and server.</summary>
public class ApplicationPlacementRequest : ApplicationSettingsRequest
{
    public string? ProjectUuid { get; set; }
    public string? EnvironmentName { get; set; }
    public string? EnvironmentUuid { get; set; }
    public string? ServerUuid { get; set; }
    public string[]? Tags { get; set; }
}

/// <summary><c>POST /applications/public</c>: built from a git repository.</summary>
public class CreateGitApplicationRequest : ApplicationPlacementRequest
{
    public string? GitRepository { get; set; }
    public string? GitBranch { get; set; }
    public string? GitCommitSha { get; set; }
    public string? BuildPack { get; set; }
    public string? BaseDirectory { get; set; }
    public string? DockerfileLocation { get; set; }
    public string? StaticImage { get; set; }

    /// <summary>Slipway addition: the web server of the static build pack's image (<c>nginx</c> or <c>busybox-httpd</c>).</summary>
    public string? StaticServer { get; set; }

    public string? WatchPaths { get; set; }
    public bool? IsAutoDeployEnabled { get; set; }
    public bool? IsGitSubmodulesEnabled { get; set; }
    public bool? IsGitShallowCloneEnabled { get; set; }
    public bool? DisableBuildCache { get; set; }
}

/// <summary><c>POST /applications/private-deploy-key</c>: a private repository cloned with a stored deploy key.</summary>
public sealed class CreateDeployKeyApplicationRequest : CreateGitApplicationRequest
{
    public string? PrivateKeyUuid { get; set; }
}

/// <summary><c>POST /applications/dockerfile</c>: built from a Dockerfile given inline.</summary>
public sealed class CreateDockerfileApplicationRequest : ApplicationPlacementRequest
{
    public string? Dockerfile { get; set; }
    public string? BuildPack { get; set; }
    public bool? DisableBuildCache { get; set; }
}

/// <summary><c>POST /applications/dockerimage</c>: runs an existing image.</summary>
public sealed class CreateDockerImageApplicationRequest : ApplicationPlacementRequest
{
    public string? DockerRegistryImageName { get; set; }
    public string? DockerRegistryImageTag { get; set; }
}

/// <summary><c>PATCH /applications/{uuid}</c>: any supported field; only the fields sent change.</summary>
public sealed class UpdateApplicationRequest : ApplicationSettingsRequest
{
    public string? ProjectUuid { get; set; }
    public string? EnvironmentName { get; set; }
    public string? EnvironmentUuid { get; set; }
    public string? ServerUuid { get; set; }
    public string? GitRepository { get; set; }
    public string? GitBranch { get; set; }
    public string? GitCommitSha { get; set; }
    public string? BuildPack { get; set; }
    public string? BaseDirectory { get; set; }
    public string? DockerfileLocation { get; set; }
    public string? Dockerfile { get; set; }
    public string? StaticImage { get; set; }
    public string? StaticServer { get; set; }
    public string? DockerRegistryImageName { get; set; }
    public string? DockerRegistryImageTag { get; set; }
    public string? WatchPaths { get; set; }
    public bool? IsAutoDeployEnabled { get; set; }
    public bool? IsGitSubmodulesEnabled { get; set; }
    public bool? IsGitShallowCloneEnabled { get; set; }
    public bool? DisableBuildCache { get; set; }
    public string? PrivateKeyUuid { get; set; }
}

/// <summary>Coolify application fields Slipway recognises but does not implement: sending one is a 422 naming it.</summary>
public static class UnsupportedApplicationFields
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "destination_uuid", "noindex_domains", "is_static", "is_spa", "is_force_https_enabled", "install_command",
        "build_command", "start_command", "publish_directory", "custom_labels", "post_deployment_command",
        "post_deployment_command_container", "pre_deployment_command", "pre_deployment_command_container", "redirect",
        "docker_compose_location", "docker_compose_custom_start_command", "docker_compose_custom_build_command",
        "docker_compose_domains", "use_build_server", "use_build_secrets", "is_git_lfs_enabled",
        "inject_build_args_to_dockerfile", "include_source_commit_in_build", "is_env_sorting_enabled", "is_gzip_enabled",
        "is_stripprefix_enabled", "is_raw_compose_deployment_enabled", "is_log_drain_enabled", "is_gpu_enabled",
        "gpu_driver", "gpu_count", "gpu_device_ids", "gpu_options", "is_consistent_container_name_enabled",
        "custom_internal_name", "max_restart_count", "is_http_basic_auth_enabled", "http_basic_auth_username",
        "http_basic_auth_password", "connect_to_docker_network", "force_domain_override", "autogenerate_domain",
        "is_container_label_escape_enabled", "is_preserve_repository_enabled", "limits_memory_swap",
        "limits_memory_swappiness", "limits_memory_reservation", "limits_cpuset", "limits_cpu_shares", "github_app_uuid",
        "dockerfile_target_build", "health_check_type", "health_check_command", "docker_compose", "docker_compose_raw",
    };
}
