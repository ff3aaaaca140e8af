using static Slipway.Api.Features.Applications.ApplicationTable;
using Field = Slipway.Api.Http.Fields.WireField<Slipway.Api.Features.Applications.ApplicationDraft>;
using Fields = Slipway.Api.Http.Fields.WireFields<Slipway.Api.Features.Applications.ApplicationDraft>;

namespace Slipway.Api.Features.Applications;

/// <summary>The application requests, as sets of <see cref="ApplicationTable"/> rows: what each accepts and requires.</summary>
public static class ApplicationRequests
{
    /// <summary>Coolify application fields Slipway recognises but does not implement: sending one is a 422 naming it.</summary>
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal)
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

    /// <summary>Settings every kind of application accepts, on create and on PATCH.</summary>
    private static readonly Field[] Settings =
    [
        Name, Description, Domains, PortsExposes, PortsMappings, HealthCheckEnabled, HealthCheckPath, HealthCheckPort, HealthCheckHost,
        HealthCheckMethod, HealthCheckReturnCode, HealthCheckScheme, HealthCheckResponseText, HealthCheckInterval, HealthCheckTimeout,
        HealthCheckRetries, HealthCheckStartPeriod, LimitsMemory, LimitsCpus, CustomDockerRunOptions, WebhookSecretGithub,
        WebhookSecretGitlab, WebhookSecretBitbucket, WebhookSecretGitea, IsPreviewDeploymentsEnabled, IsPrDeploymentsPublicEnabled,
        PreviewUrlTemplate, PreviewDeploymentsLimit, DockerImagesToKeep, StopGracePeriod, InstantDeploy,
    ];

    private static readonly Field[] Placement = [ProjectUuid, ApplicationTable.EnvironmentName, EnvironmentUuid, ServerUuid];

    private static readonly Field[] Git =
    [
        GitRepository, GitBranch, GitCommitSha, BaseDirectory, DockerfileLocation, StaticImage, WatchPaths, IsAutoDeployEnabled,
        IsGitSubmodulesEnabled, IsGitShallowCloneEnabled,
    ];

    /// <summary><c>POST /applications/public</c>: built from a git repository (ports_exposes too unless build_pack is static).</summary>
    public static readonly Fields CreatePublic = new(
        "CreatePublicApplicationRequest",
        [.. Settings, .. Placement, ApplicationTable.Tags, .. Git, GitBuildPack, StaticServer, DisableBuildCache],
        required: [ProjectUuid, ServerUuid, GitRepository, GitBranch, GitBuildPack],
        Unsupported);

    /// <summary><c>POST /applications/private-deploy-key</c>: a private repository cloned with a stored deploy key.</summary>
    public static readonly Fields CreateDeployKey = CreatePublic.With(
        "CreatePrivateDeployKeyApplicationRequest", [PrivateKeyUuid], [.. CreatePublic.Required, PrivateKeyUuid]);

    /// <summary><c>POST /applications/dockerfile</c>: built from a Dockerfile given inline.</summary>
    public static readonly Fields CreateDockerfile = new(
        "CreateDockerfileApplicationRequest",
        [.. Settings, .. Placement, ApplicationTable.Tags, Dockerfile, DockerfileBuildPack, DisableBuildCache],
        required: [ProjectUuid, ServerUuid, Dockerfile, PortsExposes],
        Unsupported);

    /// <summary><c>POST /applications/dockerimage</c>: runs an existing image.</summary>
    public static readonly Fields CreateDockerImage = new(
        "CreateDockerImageApplicationRequest",
        [.. Settings, .. Placement, ApplicationTable.Tags, DockerRegistryImageName, DockerRegistryImageTag],
        required: [ProjectUuid, ServerUuid, DockerRegistryImageName, PortsExposes],
        Unsupported);

    /// <summary><c>PATCH /applications/{uuid}</c>: any supported field; only the fields sent change.</summary>
    public static readonly Fields Update = new(
        "UpdateApplicationRequest",
        [.. Settings, .. Placement, .. Git, AnyBuildPack, StaticServer, Dockerfile, DockerRegistryImageName, DockerRegistryImageTag, DisableBuildCache, PrivateKeyUuid],
        unsupported: Unsupported);

    public static IEnumerable<Fields> All => [CreatePublic, CreateDeployKey, CreateDockerfile, CreateDockerImage, Update];
}
