using System.Text.RegularExpressions;
using Slipway.Api.Features.Tags;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Routing;
using Slipway.Core.Secrets;
using Slipway.Core.Validation;
using static Slipway.Api.Http.Fields.Rules;
using Field = Slipway.Api.Http.Fields.WireField<Slipway.Api.Features.Applications.ApplicationDraft>;

namespace Slipway.Api.Features.Applications;

/// <summary>What an application request writes into: the entity, plus what some rules and assignments need.</summary>
public sealed class ApplicationDraft(Application application, ISecretProtector protector, bool allowLocalRepositories)
{
    public Application Application { get; } = application;
    public ISecretProtector Protector { get; } = protector;
    public bool AllowLocalRepositories { get; } = allowLocalRepositories;
}

/// <summary>
/// Every application field of Coolify's contract that Slipway supports: wire name, rule, assignment and schema
/// facts, once each. The four creates and the PATCH are sets of these rows (<see cref="ApplicationRequests"/>);
/// <see cref="ApplicationResponse"/> shows them under <see cref="WireField{T}.ShownAs"/>, which a test checks.
/// Adding a field is one row here and its place in the sets.
/// </summary>
public static partial class ApplicationTable
{
    private static readonly IReadOnlyList<string> GitBuildPacks = [BuildPack.Dockerfile, BuildPack.Static];

    // Settings every kind of application accepts.
    public static readonly Field Name = Field.Text("name", NotNull((v, f) => TextRules.CheckName(v, f)), (d, v) => d.Application.Name = v!.Trim()).AtMost(255);
    public static readonly Field Description = Field.Text("description", Clearable((v, _) => TextRules.CheckDescription(v)), (d, v) => d.Application.Description = Empty(v)).AcceptsNull().AtMost(2000);
    public static readonly Field Domains = Field.Text("domains", Clearable((v, _) => DomainRules.Check(v)), (d, v) => d.Application.Fqdn = DomainRules.Join(DomainRules.ParseStored(v)))
        .AcceptsNull().Shown("fqdn");
    public static readonly Field PortsExposes = Field.Text("ports_exposes", NotNull((v, _) => PortRules.CheckExposes(v)), (d, v) => d.Application.PortsExposes = string.Join(',', PortRules.Split(v!)));
    public static readonly Field PortsMappings = Field.Text("ports_mappings", Clearable((v, _) => PortRules.CheckMappings(v)), (d, v) => d.Application.PortsMappings = v is null or "" ? null : string.Join(',', PortRules.Split(v)))
        .AcceptsNull();
    public static readonly Field HealthCheckEnabled = Field.Flag("health_check_enabled", Rules.Boolean, (d, v) => d.Application.HealthCheckEnabled = v!.Value);
    public static readonly Field HealthCheckPath = Field.Text("health_check_path", NotNull((v, _) => HealthCheckRules.CheckPath(v)), (d, v) => d.Application.HealthCheckPath = v!).AtMost(255);
    public static readonly Field HealthCheckPort = Field.Text("health_check_port", Clearable(PortRules.CheckPort), (d, v) => d.Application.HealthCheckPort = Empty(v)).AcceptsNull().Matching("^[0-9]{1,5}$");
    public static readonly Field HealthCheckHost = Field.Text("health_check_host", NotNull((v, _) => HealthCheckRules.CheckHost(v)), (d, v) => d.Application.HealthCheckHost = v!).AtMost(253);
    public static readonly Field HealthCheckMethod = Field.Text("health_check_method", NotNull((v, _) => HealthCheckRules.CheckMethod(v)), (d, v) => d.Application.HealthCheckMethod = v!)
        .OneOf(HealthCheckRules.Methods);
    public static readonly Field HealthCheckReturnCode = Field.Integer("health_check_return_code", NotNullInt((v, _) => HealthCheckRules.CheckReturnCode(v)), (d, v) => d.Application.HealthCheckReturnCode = v!.Value)
        .Between(100, 599);
    public static readonly Field HealthCheckScheme = Field.Text("health_check_scheme", NotNull((v, _) => HealthCheckRules.CheckScheme(v)), (d, v) => d.Application.HealthCheckScheme = v!)
        .OneOf(HealthCheckRules.Schemes);
    public static readonly Field HealthCheckResponseText = Field.Text("health_check_response_text", Clearable((v, _) => HealthCheckRules.CheckResponseText(v)), (d, v) => d.Application.HealthCheckResponseText = Empty(v))
        .AcceptsNull().AtMost(255);
    public static readonly Field HealthCheckInterval = Field.Integer("health_check_interval", Rules.Between(1, 3600), (d, v) => d.Application.HealthCheckInterval = v!.Value).Between(1, 3600);
    public static readonly Field HealthCheckTimeout = Field.Integer("health_check_timeout", Rules.Between(1, 3600), (d, v) => d.Application.HealthCheckTimeout = v!.Value).Between(1, 3600);
    public static readonly Field HealthCheckRetries = Field.Integer("health_check_retries", Rules.Between(1, 1000), (d, v) => d.Application.HealthCheckRetries = v!.Value).Between(1, 1000);
    public static readonly Field HealthCheckStartPeriod = Field.Integer("health_check_start_period", Rules.Between(0, 3600), (d, v) => d.Application.HealthCheckStartPeriod = v!.Value).Between(0, 3600);
    public static readonly Field LimitsMemory = Field.Text("limits_memory", NotNull((v, _) => CheckMemory(v)), (d, v) => d.Application.LimitsMemory = v!).Matching(MemoryPattern);
    public static readonly Field LimitsCpus = Field.Text("limits_cpus", NotNull((v, _) => CheckCpus(v)), (d, v) => d.Application.LimitsCpus = v!).Matching(CpuPattern);
    // Issue 14: the command health check, the remaining limits, restart policy, labels, a fixed container name and the network.
    public static readonly Field HealthCheckType = Field.Text("health_check_type", NotNull((v, _) => HealthCheckRules.CheckType(v)), (d, v) => d.Application.HealthCheckType = v!)
        .OneOf(HealthCheckRules.Types);
    public static readonly Field HealthCheckCommand = Field.Text("health_check_command", Clearable((v, _) => HealthCheckRules.CheckCommand(v)), (d, v) => d.Application.HealthCheckCommand = Empty(v))
        .AcceptsNull().AtMost(HealthCheckRules.CommandMaxLength).Matching(HealthCheckRules.CommandPattern);
    public static readonly Field LimitsMemorySwap = Field.Text("limits_memory_swap", NotNull((v, _) => RuntimeRules.CheckSwap(v)), (d, v) => d.Application.LimitsMemorySwap = v!)
        .Matching(RuntimeRules.SwapPattern);
    public static readonly Field LimitsMemorySwappiness = Field.Integer("limits_memory_swappiness", NotNullInt((v, _) => RuntimeRules.CheckSwappiness(v)),
        (d, v) => d.Application.LimitsMemorySwappiness = v!.Value).Between(0, 100);
    public static readonly Field LimitsMemoryReservation = Field.Text("limits_memory_reservation", NotNull(RuntimeRules.CheckSize), (d, v) => d.Application.LimitsMemoryReservation = v!)
        .Matching(RuntimeRules.SizePattern);
    public static readonly Field LimitsCpuset = Field.Text("limits_cpuset", Clearable((v, _) => RuntimeRules.CheckCpuset(v)), (d, v) => d.Application.LimitsCpuset = Empty(v))
        .AcceptsNull().AtMost(128).Matching(RuntimeRules.CpusetPattern);
    public static readonly Field LimitsCpuShares = Field.Integer("limits_cpu_shares", NotNullInt((v, _) => RuntimeRules.CheckCpuShares(v)), (d, v) => d.Application.LimitsCpuShares = v!.Value)
        .Between(0, RuntimeRules.CpuSharesMaximum);
    public static readonly Field MaxRestartCount = Field.Integer("max_restart_count", NotNullInt((v, _) => RuntimeRules.CheckMaxRestartCount(v)), (d, v) => d.Application.MaxRestartCount = v!.Value)
        .Between(0, RuntimeRules.MaxRestartCountLimit);

    /// <summary>Coolify's format: base64 of one <c>key=value</c> label per line (stored decoded, shown encoded).</summary>
    public static readonly Field CustomLabels = Field.Text("custom_labels", Clearable((v, _) => CheckLabels(v)),
        (d, v) => d.Application.CustomLabels = string.IsNullOrEmpty(v) ? null : ContainerLabelRules.Normalize(ContainerLabelRules.Decode(v, out _)!)).AcceptsNull();
    public static readonly Field CustomInternalName = Field.Text("custom_internal_name", Clearable((v, _) => RuntimeRules.CheckContainerName(v)), (d, v) => d.Application.CustomInternalName = Empty(v))
        .AcceptsNull().Matching(RuntimeRules.ContainerNamePattern).Shown("settings.custom_internal_name");
    public static readonly Field IsConsistentContainerNameEnabled = Field.Flag("is_consistent_container_name_enabled", Rules.Boolean, (d, v) => d.Application.IsConsistentContainerNameEnabled = v!.Value)
        .Shown("settings.is_consistent_container_name_enabled");
    public static readonly Field ConnectToDockerNetwork = Field.Flag("connect_to_docker_network", Rules.Boolean, (d, v) => d.Application.ConnectToDockerNetwork = v!.Value)
        .Shown("settings.connect_to_docker_network");

    // Issue 14 item 1: release commands, run in the container by docker exec (newlines flattened to spaces, as Coolify does).
    public static readonly Field PreDeploymentCommand = Field.Text("pre_deployment_command", Clearable(ReleaseCommandRules.CheckSentCommand),
        (d, v) => d.Application.PreDeploymentCommand = Empty(ReleaseCommandRules.Flatten(v))).AcceptsNull().AtMost(ReleaseCommandRules.CommandMaxLength);
    public static readonly Field PreDeploymentCommandContainer = Field.Text("pre_deployment_command_container", Clearable(ReleaseCommandRules.CheckContainer),
        (d, v) => d.Application.PreDeploymentCommandContainer = Empty(v)).AcceptsNull().Matching(ReleaseCommandRules.ContainerPattern);
    public static readonly Field PostDeploymentCommand = Field.Text("post_deployment_command", Clearable(ReleaseCommandRules.CheckSentCommand),
        (d, v) => d.Application.PostDeploymentCommand = Empty(ReleaseCommandRules.Flatten(v))).AcceptsNull().AtMost(ReleaseCommandRules.CommandMaxLength);
    public static readonly Field PostDeploymentCommandContainer = Field.Text("post_deployment_command_container", Clearable(ReleaseCommandRules.CheckContainer),
        (d, v) => d.Application.PostDeploymentCommandContainer = Empty(v)).AcceptsNull().Matching(ReleaseCommandRules.ContainerPattern);

    // Issue 14 item 2: the build.
    public static readonly Field DockerfileTargetBuild = Field.Text("dockerfile_target_build", Clearable((v, _) => BuildRules.CheckTarget(v)),
        (d, v) => d.Application.DockerfileTargetBuild = Empty(v)).AcceptsNull().Matching(BuildRules.TargetPattern);
    public static readonly Field IncludeSourceCommitInBuild = Field.Flag("include_source_commit_in_build", Rules.Boolean, (d, v) => d.Application.IncludeSourceCommitInBuild = v!.Value)
        .Shown("settings.include_source_commit_in_build");
    public static readonly Field InjectBuildArgsToDockerfile = Field.Flag("inject_build_args_to_dockerfile", Rules.Boolean, (d, v) => d.Application.InjectBuildArgsToDockerfile = v!.Value)
        .Shown("settings.inject_build_args_to_dockerfile");
    public static readonly Field UseBuildSecrets = Field.Flag("use_build_secrets", Rules.Boolean, (d, v) => d.Application.UseBuildSecrets = v!.Value)
        .Shown("settings.use_build_secrets");
    public static readonly Field IsGitLfsEnabled = Field.Flag("is_git_lfs_enabled", Rules.Boolean, (d, v) => d.Application.IsGitLfsEnabled = v!.Value)
        .Shown("settings.is_git_lfs_enabled");
    public static readonly Field IsPreserveRepositoryEnabled = Field.Flag("is_preserve_repository_enabled", Rules.Boolean, (d, v) => d.Application.IsPreserveRepositoryEnabled = v!.Value)
        .Shown("settings.is_preserve_repository_enabled");

    // Issue 14 item 5: static sites (the static build pack).
    public static readonly Field IsStatic = Field.Flag("is_static", Rules.Boolean, (d, v) => d.Application.IsStatic = v!.Value).Shown("settings.is_static");
    public static readonly Field IsSpa = Field.Flag("is_spa", Rules.Boolean, (d, v) => d.Application.IsSpa = v!.Value).Shown("settings.is_spa");
    public static readonly Field PublishDirectory = Field.Text("publish_directory", Clearable(PathRules.Check), (d, v) => d.Application.PublishDirectory = Empty(v))
        .AcceptsNull().AtMost(PathRules.MaxLength);

    /// <summary><c>is_static</c> and <c>is_spa</c> describe what the static build pack serves: another build pack has no such server.</summary>
    public static void CheckStatic(Application application, ValidationErrors errors)
    {
        foreach (var (field, on) in new[] { (IsStatic.Name, application.IsStatic), (IsSpa.Name, application.IsSpa) })
        {
            if (on && application.BuildPack != BuildPack.Static && !errors.Has(field))
            {
                errors.Add(field, $"The {field} setting applies to the static build pack (its web server serves the files); this application's build_pack is {application.BuildPack}.");
            }
        }
    }

    /// <summary>Rules between the runtime fields, after the sent fields were applied; a field that already has an error is not named twice.</summary>
    public static void CheckRuntime(Application application, ValidationErrors errors)
    {
        foreach (var (field, message) in RuntimeRules.CheckMemoryLimits(application))
        {
            if (!errors.Has(field))
            {
                errors.Add(field, message);
            }
        }

        if (!errors.Has(HealthCheckCommand.Name)
            && HealthCheckRules.CheckCommandPresent(application.HealthCheckEnabled, application.HealthCheckType, application.HealthCheckCommand) is { } missing)
        {
            errors.Add(HealthCheckCommand.Name, missing);
        }

        if (!errors.Has(CustomDockerRunOptions.Name)
            && RuntimeRules.CheckConnectToNetwork(application.ConnectToDockerNetwork, application.CustomDockerRunOptions) is { } network)
        {
            errors.Add(ConnectToDockerNetwork.Name, network);
        }
    }

    public static readonly Field CustomDockerRunOptions = Field.Text("custom_docker_run_options", Clearable((v, _) => CheckRunOptions(v)), (d, v) => d.Application.CustomDockerRunOptions = Empty(v)).AcceptsNull();
    public static readonly Field WebhookSecretGithub = Field.Text("manual_webhook_secret_github", Clearable((v, _) => CheckSecret(v)), (d, v) => d.Application.ProtectedWebhookSecretGithub = Protect(d, v))
        .AcceptsNull().AtMost(255);
    public static readonly Field WebhookSecretGitlab = Field.Text("manual_webhook_secret_gitlab", Clearable((v, _) => CheckSecret(v)), (d, v) => d.Application.ProtectedWebhookSecretGitlab = Protect(d, v))
        .AcceptsNull().AtMost(255);
    public static readonly Field WebhookSecretBitbucket = Field.Text("manual_webhook_secret_bitbucket", Clearable((v, _) => CheckSecret(v)), (d, v) => d.Application.ProtectedWebhookSecretBitbucket = Protect(d, v))
        .AcceptsNull().AtMost(255);
    public static readonly Field WebhookSecretGitea = Field.Text("manual_webhook_secret_gitea", Clearable((v, _) => CheckSecret(v)), (d, v) => d.Application.ProtectedWebhookSecretGitea = Protect(d, v))
        .AcceptsNull().AtMost(255);
    public static readonly Field IsPreviewDeploymentsEnabled = Field.Flag("is_preview_deployments_enabled", Rules.Boolean, (d, v) => d.Application.IsPreviewDeploymentsEnabled = v!.Value)
        .Shown("settings.is_preview_deployments_enabled");
    public static readonly Field IsPrDeploymentsPublicEnabled = Field.Flag("is_pr_deployments_public_enabled", Rules.Boolean, (d, v) => d.Application.IsPrDeploymentsPublicEnabled = v!.Value)
        .Shown("settings.is_pr_deployments_public_enabled");
    public static readonly Field PreviewUrlTemplate = Field.Text("preview_url_template", NotNull((v, _) => CheckPreviewTemplate(v)), (d, v) => d.Application.PreviewUrlTemplate = v!)
        .AtMost(255).Matching(PreviewTemplatePattern);

    /// <summary>Slipway addition: how many pull requests may have a preview at once (1-100, default 3).</summary>
    public static readonly Field PreviewDeploymentsLimit = Field.Integer("preview_deployments_limit", Rules.Between(1, 100), (d, v) => d.Application.PreviewDeploymentsLimit = v!.Value).Between(1, 100);
    public static readonly Field DockerImagesToKeep = Field.Integer("docker_images_to_keep", Rules.Between(1, 50), (d, v) => d.Application.DockerImagesToKeep = v!.Value)
        .Between(1, 50).Shown("settings.docker_images_to_keep");
    public static readonly Field StopGracePeriod = Field.Integer("stop_grace_period", Rules.Between(1, 3600), (d, v) => d.Application.StopGracePeriod = v!.Value)
        .Between(1, 3600).Shown("settings.stop_grace_period");
    public static readonly Field InstantDeploy = Field.Flag("instant_deploy", Any, null).AcceptsNull().WriteOnly();

    // Routing through the server's proxy (Coolify's fields); the basic-auth password is stored only as its bcrypt hash.
    public static readonly Field Redirect = Field.Text("redirect", NotNull((v, _) => RedirectModes.Check(v)), (d, v) => d.Application.Redirect = v!).OneOf(RedirectModes.All);
    public static readonly Field IsForceHttpsEnabled = Field.Flag("is_force_https_enabled", Rules.Boolean, (d, v) => d.Application.IsForceHttpsEnabled = v!.Value)
        .Shown("settings.is_force_https_enabled");
    public static readonly Field IsGzipEnabled = Field.Flag("is_gzip_enabled", Rules.Boolean, (d, v) => d.Application.IsGzipEnabled = v!.Value).Shown("settings.is_gzip_enabled");
    public static readonly Field IsStripprefixEnabled = Field.Flag("is_stripprefix_enabled", Rules.Boolean, (d, v) => d.Application.IsStripprefixEnabled = v!.Value)
        .Shown("settings.is_stripprefix_enabled");
    public static readonly Field IsHttpBasicAuthEnabled = Field.Flag("is_http_basic_auth_enabled", Rules.Boolean, (d, v) => d.Application.IsHttpBasicAuthEnabled = v!.Value);
    public static readonly Field HttpBasicAuthUsername = Field.Text("http_basic_auth_username", Clearable((v, _) => BasicAuthRules.CheckUsername(v)), (d, v) => d.Application.HttpBasicAuthUsername = Empty(v))
        .AcceptsNull().AtMost(64);
    public static readonly Field HttpBasicAuthPassword = Field.Text("http_basic_auth_password", Clearable((v, _) => BasicAuthRules.CheckPassword(v)),
        (d, v) => d.Application.HttpBasicAuthPasswordHash = string.IsNullOrEmpty(v) ? null : BasicAuthRules.Hash(v)).AcceptsNull().WriteOnly();

    /// <summary>Take domains another of the team's applications (or previews) routes: they are removed from it (read by the handler).</summary>
    public static readonly Field ForceDomainOverride = Field.Flag("force_domain_override", Any, null).AcceptsNull().WriteOnly();

    /// <summary>On create, without domains and on a server with a proxy: <c>http://{uuid}.{server ip}.sslip.io</c> (default true; read by the handler).</summary>
    public static readonly Field AutogenerateDomain = Field.Flag("autogenerate_domain", Any, null).AcceptsNull().WriteOnly();

    /// <summary>Basic authentication that is on needs both a user name and a password (after the sent fields were applied).</summary>
    public static void CheckBasicAuth(Application application, ValidationErrors errors)
    {
        if (!application.IsHttpBasicAuthEnabled || errors.Has(HttpBasicAuthUsername.Name) || errors.Has(HttpBasicAuthPassword.Name))
        {
            return;
        }

        if (application.HttpBasicAuthUsername is null)
        {
            errors.Add(HttpBasicAuthUsername.Name, "Basic authentication needs http_basic_auth_username.");
        }

        if (application.HttpBasicAuthPasswordHash is null)
        {
            errors.Add(HttpBasicAuthPassword.Name, "Basic authentication needs http_basic_auth_password.");
        }
    }

    // Where the application lives (resolved by the handler) and its tags.
    public static readonly Field ProjectUuid = Field.Text("project_uuid", Any, null).AcceptsNull().WriteOnly();
    public static readonly Field EnvironmentName = Field.Text("environment_name", Any, null).AcceptsNull().WriteOnly();
    public static readonly Field EnvironmentUuid = Field.Text("environment_uuid", Any, null).AcceptsNull().WriteOnly();
    public static readonly Field ServerUuid = Field.Text("server_uuid", Any, null).AcceptsNull().WriteOnly();
    public static readonly Field Tags = Field.Texts("tags", (v, _) => v?.Select(t => TagNames.Check(t)).FirstOrDefault(e => e is not null), null).AcceptsNull().WriteOnly();
    public static readonly Field PrivateKeyUuid = Field.Text("private_key_uuid", Any, null).AcceptsNull().Shown("private_key_id");

    // The source: a git repository, an inline Dockerfile or an image.
    public static readonly Field GitRepository = Field.Text("git_repository",
        (d, v, f) => v is null ? $"The {f} field must not be null." : IsStoredRedacted(d, v) ? null : RepositoryRules.Check(v, d.AllowLocalRepositories),
        AssignRepository);
    public static readonly Field GitBranch = Field.Text("git_branch", NotNull((v, _) => GitRules.CheckBranch(v)), (d, v) => d.Application.GitBranch = v);
    public static readonly Field GitCommitSha = Field.Text("git_commit_sha", Clearable((v, _) => GitRules.CheckCommit(v)), (d, v) => d.Application.GitCommitSha = Empty(v) ?? "HEAD").AcceptsNull();
    public static readonly Field BaseDirectory = Field.Text("base_directory", NotNull(PathRules.Check), (d, v) => d.Application.BaseDirectory = v!);
    public static readonly Field DockerfileLocation = Field.Text("dockerfile_location", NotNull(PathRules.Check), (d, v) => d.Application.DockerfileLocation = v!);
    public static readonly Field StaticImage = Field.Text("static_image", NotNull((v, _) => DockerImageRules.CheckReference(v)), (d, v) => d.Application.StaticImage = v!);

    /// <summary>Slipway addition: the web server of the static build pack's image.</summary>
    public static readonly Field StaticServer = Field.Text("static_server", NotNull((v, _) => CheckStaticServer(v)), (d, v) => d.Application.StaticServer = v!)
        .OneOf(Core.Applications.StaticServer.All);
    public static readonly Field WatchPaths = Field.Text("watch_paths", Clearable((v, _) => CheckWatchPaths(v)), (d, v) => d.Application.WatchPaths = Empty(v)).AcceptsNull().AtMost(4096);
    public static readonly Field IsAutoDeployEnabled = Field.Flag("is_auto_deploy_enabled", Rules.Boolean, (d, v) => d.Application.IsAutoDeployEnabled = v!.Value)
        .Shown("settings.is_auto_deploy_enabled");
    public static readonly Field IsGitSubmodulesEnabled = Field.Flag("is_git_submodules_enabled", Rules.Boolean, (d, v) => d.Application.IsGitSubmodulesEnabled = v!.Value)
        .Shown("settings.is_git_submodules_enabled");
    public static readonly Field IsGitShallowCloneEnabled = Field.Flag("is_git_shallow_clone_enabled", Rules.Boolean, (d, v) => d.Application.IsGitShallowCloneEnabled = v!.Value)
        .Shown("settings.is_git_shallow_clone_enabled");
    public static readonly Field DisableBuildCache = Field.Flag("disable_build_cache", Rules.Boolean, (d, v) => d.Application.DisableBuildCache = v!.Value)
        .Shown("settings.disable_build_cache");
    public static readonly Field Dockerfile = Field.Text("dockerfile", NotNull((v, _) => CheckDockerfile(v)), (d, v) => d.Application.Dockerfile = v).AtMost(64 * 1024);
    public static readonly Field DockerRegistryImageName = Field.Text("docker_registry_image_name", NotNull((v, _) => DockerImageRules.CheckName(v)), (d, v) => d.Application.DockerRegistryImageName = v);
    public static readonly Field DockerRegistryImageTag = Field.Text("docker_registry_image_tag", Clearable((v, _) => DockerImageRules.CheckTag(v)), (d, v) => d.Application.DockerRegistryImageTag = Empty(v) ?? "latest")
        .AcceptsNull();

    /// <summary>Build packs by request: git creates build a Dockerfile or a static site, the Dockerfile create only a Dockerfile, PATCH any.</summary>
    public static readonly Field GitBuildPack = BuildPackField(GitBuildPacks);
    public static readonly Field DockerfileBuildPack = BuildPackField([BuildPack.Dockerfile]);
    public static readonly Field AnyBuildPack = BuildPackField(BuildPack.All);

    public static string? CheckBuildPack(string value, IReadOnlyList<string> allowed)
    {
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return null;
        }

        return BuildPack.Unsupported.Contains(value, StringComparer.Ordinal)
            ? $"The {value} build pack is not supported by Slipway; use {string.Join(", ", allowed)}."
            : $"The build_pack must be one of {string.Join(", ", allowed)}.";
    }

    private static Field BuildPackField(IReadOnlyList<string> allowed) =>
        Field.Text("build_pack", NotNull((v, _) => CheckBuildPack(v, allowed)), (d, v) => d.Application.BuildPack = v!).OneOf(allowed);

    /// <summary>
    /// A client that read the application without <c>read:sensitive</c> and sends <c>git_repository</c> back unchanged
    /// sends its redacted form (<c>https://&lt;REDACTED&gt;@host/…</c>): that keeps the stored URL and its credentials.
    /// </summary>
    private static bool IsStoredRedacted(ApplicationDraft draft, string value) =>
        draft.Application.GitRepository is { } stored && value != stored && value == LogRedactor.Redact(stored, null);

    private static void AssignRepository(ApplicationDraft draft, string? value)
    {
        var repository = value is not null && IsStoredRedacted(draft, value) ? draft.Application.GitRepository : value;
        if (repository != draft.Application.GitRepository)
        {
            // Another repository may live on another host: its key is pinned afresh by the next deployment.
            draft.Application.GitHostKeys = null;
        }

        draft.Application.GitRepository = repository;
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Protect(ApplicationDraft draft, string? value) => string.IsNullOrEmpty(value) ? null : draft.Protector.Protect(value);

    private static string? CheckStaticServer(string value) =>
        Core.Applications.StaticServer.All.Contains(value, StringComparer.Ordinal) ? null : $"The static_server must be one of {string.Join(", ", Core.Applications.StaticServer.All)}.";

    private static string? CheckSecret(string value) =>
        value.Length <= 255 && !value.Any(char.IsControl) ? null : "The webhook secret must be at most 255 characters without control characters.";

    private static string? CheckMemory(string value) =>
        value == "0" || MemoryLimit().IsMatch(value) ? null : "The limits_memory must be 0 (no limit) or a size such as 512m or 2g.";

    private static string? CheckCpus(string value) =>
        value == "0" || CpuLimit().IsMatch(value) ? null : "The limits_cpus must be 0 (no limit) or a number of CPUs such as 0.5 or 2.";

    private static string? CheckLabels(string value) =>
        ContainerLabelRules.Decode(value, out var error) is { } text ? ContainerLabelRules.Check(text) : error;

    private static string? CheckRunOptions(string value) =>
        DockerRunOptions.TryParse(value, out _, out var error) ? null : error;

    private static string? CheckDockerfile(string value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 64 * 1024 && !value.Contains('\0', StringComparison.Ordinal)
            ? null
            : "The dockerfile must be a non-empty Dockerfile of at most 64 KB.";

    private static string? CheckPreviewTemplate(string value) =>
        value.Length <= 255 && PreviewTemplate().IsMatch(value)
            ? null
            : "The preview_url_template may contain only {{pr_id}}, {{domain}}, {{random}}, letters, digits, '.' and '-'.";

    private static string? CheckWatchPaths(string value) =>
        value.Length <= 4096 && value.Split('\n').All(line => WatchPath().IsMatch(line.TrimEnd('\r')))
            ? null
            : "The watch_paths must be one glob per line (letters, digits and . _ - / * ? [ ] ! { } ,).";

    private const string MemoryPattern = @"^[0-9]{1,12}[bkmgBKMG]?$";
    private const string CpuPattern = @"^[0-9]{1,4}(\.[0-9]{1,3})?$";
    private const string PreviewTemplatePattern = @"^([A-Za-z0-9.-]|\{\{(pr_id|domain|random)\}\})+$";

    [GeneratedRegex(@"^[0-9]{1,12}[bkmgBKMG]?\z", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryLimit();

    [GeneratedRegex(@"^[0-9]{1,4}(\.[0-9]{1,3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex CpuLimit();

    [GeneratedRegex(@"^([A-Za-z0-9.-]|\{\{(pr_id|domain|random)\}\})+\z", RegexOptions.CultureInvariant)]
    private static partial Regex PreviewTemplate();

    [GeneratedRegex(@"^[A-Za-z0-9._/*?\[\]!{},@+ -]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex WatchPath();
}
