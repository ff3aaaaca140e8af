using System.Text.Json.Serialization;
using Slipway.Api.Http;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Secrets;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Applications;

/// <summary>
/// An application on the wire, in the contract's <c>Application</c> shape for what Slipway supports and in
/// Coolify's key order (<c>id, uuid, description, name</c>, the rest alphabetical, then the timestamps): the
/// properties are declared in that order. Secrets (webhook secrets, the inline Dockerfile, the deploy key id, custom_labels) are
/// present only for callers that may read sensitive data, as Coolify does; credentials in <c>git_repository</c>
/// (<c>https://user:token@host/…</c>) are <c>&lt;REDACTED&gt;</c> for the others, as the deployment logs show them. The basic-auth
/// password is never returned (only its bcrypt hash is stored).
/// </summary>
public sealed class ApplicationResponse
{
    private const JsonIgnoreCondition Unshown = JsonIgnoreCondition.WhenWritingDefault;

    public required long Id { get; init; }
    public required string Uuid { get; init; }
    public required string? Description { get; init; }
    public required string Name { get; init; }
    public required string BaseDirectory { get; init; }
    public string? BuildCommand => null;
    public required string BuildPack { get; init; }
    public string? ComposeParsingVersion => null;
    public string? ConfigHash => null;
    public required string? CustomDockerRunOptions { get; init; }
    public bool CustomHealthcheckFound => false;
    [JsonIgnore(Condition = Unshown)] public Sensitive<string?> CustomLabels { get; init; }
    public string? CustomNetworkAliases => null;
    public string? CustomNginxConfiguration => null;
    public string? DeletedAt => null;
    public required long DestinationId { get; init; }
    public string DestinationType => "App\\Models\\StandaloneDocker";
    public string? DockerCompose => null;
    public string? DockerComposeCustomBuildCommand => null;
    public string? DockerComposeCustomStartCommand => null;
    public string? DockerComposeDomains => null;
    public string? DockerComposeLocation => null;
    public string? DockerComposeRaw => null;
    public required string? DockerRegistryImageName { get; init; }
    public required string? DockerRegistryImageTag { get; init; }
    [JsonIgnore(Condition = Unshown)] public Sensitive<string?> Dockerfile { get; init; }
    public required string DockerfileLocation { get; init; }
    public required string? DockerfileTargetBuild { get; init; }
    public required long EnvironmentId { get; init; }
    public required string? Fqdn { get; init; }
    public required string? GitBranch { get; init; }
    public required string GitCommitSha { get; init; }
    public string? GitFullUrl => null;
    public required string? GitRepository { get; init; }
    public required string? HealthCheckCommand { get; init; }
    public required bool HealthCheckEnabled { get; init; }
    public required string HealthCheckHost { get; init; }
    public required int HealthCheckInterval { get; init; }
    public required string HealthCheckMethod { get; init; }
    public required string HealthCheckPath { get; init; }
    public required string? HealthCheckPort { get; init; }
    public required string? HealthCheckResponseText { get; init; }
    public required int HealthCheckRetries { get; init; }
    public required int HealthCheckReturnCode { get; init; }
    public required string HealthCheckScheme { get; init; }
    public required int HealthCheckStartPeriod { get; init; }
    public required int HealthCheckTimeout { get; init; }
    public required string HealthCheckType { get; init; }

    /// <summary>Never shown: only the password's bcrypt hash is stored.</summary>
    public string? HttpBasicAuthPassword => null;
    public required string? HttpBasicAuthUsername { get; init; }
    public string? InstallCommand => null;
    public required bool IsHttpBasicAuthEnabled { get; init; }
    public required int LimitsCpuShares { get; init; }
    public required string LimitsCpus { get; init; }
    public required string? LimitsCpuset { get; init; }
    public required string LimitsMemory { get; init; }
    public required string LimitsMemoryReservation { get; init; }
    public required string LimitsMemorySwap { get; init; }
    public required int LimitsMemorySwappiness { get; init; }
    [JsonIgnore(Condition = Unshown)] public Sensitive<string?> ManualWebhookSecretBitbucket { get; init; }
    [JsonIgnore(Condition = Unshown)] public Sensitive<string?> ManualWebhookSecretGitea { get; init; }
    [JsonIgnore(Condition = Unshown)] public Sensitive<string?> ManualWebhookSecretGithub { get; init; }
    [JsonIgnore(Condition = Unshown)] public Sensitive<string?> ManualWebhookSecretGitlab { get; init; }
    public required int MaxRestartCount { get; init; }
    public required string[]? NoindexDomains { get; init; }
    public required string PortsExposes { get; init; }
    public required string? PortsMappings { get; init; }
    public required string? PostDeploymentCommand { get; init; }
    public required string? PostDeploymentCommandContainer { get; init; }
    public required string? PreDeploymentCommand { get; init; }
    public required string? PreDeploymentCommandContainer { get; init; }
    public required int PreviewDeploymentsLimit { get; init; }
    public required string PreviewUrlTemplate { get; init; }
    [JsonIgnore(Condition = Unshown)] public Sensitive<long?> PrivateKeyId { get; init; }

    /// <summary>Coolify's type is a string: unset shows <c>/</c> (the base directory is served).</summary>
    public required string PublishDirectory { get; init; }
    public required string Redirect { get; init; }
    public long? RepositoryProjectId => null;
    public required ApplicationSettingsResponse Settings { get; init; }
    public long? SourceId => null;
    public string? StartCommand => null;
    public required string StaticImage { get; init; }
    public required string StaticServer { get; init; }
    public required string Status { get; init; }
    public string? SwarmPlacementConstraints => null;
    public int? SwarmReplicas => null;
    public required string? WatchPaths { get; init; }
    public required string CreatedAt { get; init; }
    public required string UpdatedAt { get; init; }

    public static ApplicationResponse From(Application a, bool sensitive, ISecretProtector protector) => new()
    {
        Id = a.Id,
        Uuid = a.Uuid,
        Description = a.Description,
        Name = a.Name,
        BaseDirectory = a.BaseDirectory,
        BuildPack = a.BuildPack,
        CustomDockerRunOptions = a.CustomDockerRunOptions,
        CustomLabels = Sensitive<string?>.When(sensitive, () => a.CustomLabels is null ? null : ContainerLabelRules.Encode(a.CustomLabels)),
        DestinationId = a.ServerId,
        DockerRegistryImageName = a.DockerRegistryImageName,
        DockerRegistryImageTag = a.DockerRegistryImageTag,
        Dockerfile = Sensitive<string?>.When(sensitive, () => a.Dockerfile),
        DockerfileLocation = a.DockerfileLocation,
        DockerfileTargetBuild = a.DockerfileTargetBuild,
        EnvironmentId = a.EnvironmentId,
        Fqdn = a.Fqdn,
        GitBranch = a.GitBranch,
        GitCommitSha = a.GitCommitSha,
        GitRepository = ShownRepository(a.GitRepository, sensitive),
        HealthCheckCommand = a.HealthCheckCommand,
        HealthCheckEnabled = a.HealthCheckEnabled,
        HealthCheckHost = a.HealthCheckHost,
        HealthCheckInterval = a.HealthCheckInterval,
        HealthCheckMethod = a.HealthCheckMethod,
        HealthCheckPath = a.HealthCheckPath,
        HealthCheckPort = a.HealthCheckPort,
        HealthCheckResponseText = a.HealthCheckResponseText,
        HealthCheckRetries = a.HealthCheckRetries,
        HealthCheckReturnCode = a.HealthCheckReturnCode,
        HealthCheckScheme = a.HealthCheckScheme,
        HealthCheckStartPeriod = a.HealthCheckStartPeriod,
        HealthCheckTimeout = a.HealthCheckTimeout,
        HealthCheckType = a.HealthCheckType,
        HttpBasicAuthUsername = a.HttpBasicAuthUsername,
        IsHttpBasicAuthEnabled = a.IsHttpBasicAuthEnabled,
        LimitsCpuShares = a.LimitsCpuShares,
        LimitsCpus = a.LimitsCpus,
        LimitsCpuset = a.LimitsCpuset,
        LimitsMemory = a.LimitsMemory,
        LimitsMemoryReservation = a.LimitsMemoryReservation,
        LimitsMemorySwap = a.LimitsMemorySwap,
        LimitsMemorySwappiness = a.LimitsMemorySwappiness,
        ManualWebhookSecretBitbucket = Sensitive<string?>.When(sensitive, () => Reveal(a.ProtectedWebhookSecretBitbucket, protector)),
        ManualWebhookSecretGitea = Sensitive<string?>.When(sensitive, () => Reveal(a.ProtectedWebhookSecretGitea, protector)),
        ManualWebhookSecretGithub = Sensitive<string?>.When(sensitive, () => Reveal(a.ProtectedWebhookSecretGithub, protector)),
        ManualWebhookSecretGitlab = Sensitive<string?>.When(sensitive, () => Reveal(a.ProtectedWebhookSecretGitlab, protector)),
        MaxRestartCount = a.MaxRestartCount,
        PostDeploymentCommand = a.PostDeploymentCommand,
        PostDeploymentCommandContainer = a.PostDeploymentCommandContainer,
        NoindexDomains = DomainRules.ShowNoindex(a.NoindexDomains),
        PortsExposes = a.PortsExposes,
        PortsMappings = a.PortsMappings,
        PreDeploymentCommand = a.PreDeploymentCommand,
        PreDeploymentCommandContainer = a.PreDeploymentCommandContainer,
        PreviewDeploymentsLimit = a.PreviewDeploymentsLimit,
        PreviewUrlTemplate = a.PreviewUrlTemplate,
        PrivateKeyId = Sensitive<long?>.When(sensitive, () => a.PrivateKeyId),
        PublishDirectory = a.PublishDirectory ?? "/",
        Redirect = a.Redirect,
        Settings = ApplicationSettingsResponse.From(a),
        StaticImage = a.StaticImage,
        StaticServer = a.StaticServer,
        Status = a.Status,
        WatchPaths = a.WatchPaths,
        CreatedAt = Timestamps.ToWire(a.CreatedAt),
        UpdatedAt = Timestamps.ToWire(a.UpdatedAt),
    };

    /// <summary>The repository as a caller sees it: credentials in the URL only with <paramref name="sensitive"/>, else <c>&lt;REDACTED&gt;</c>.</summary>
    public static string? ShownRepository(string? repository, bool sensitive) =>
        sensitive || repository is null ? repository : LogRedactor.Redact(repository, null);

    private static string? Reveal(string? protectedValue, ISecretProtector protector) =>
        protectedValue is null ? null : protector.Unprotect(protectedValue);
}

/// <summary>The contract's <c>ApplicationSetting</c> for the settings Slipway has (they live in the application row).</summary>
public sealed record ApplicationSettingsResponse(
    long ApplicationId,
    bool ConnectToDockerNetwork,
    string? CustomInternalName,
    bool DisableBuildCache,
    int DockerImagesToKeep,
    bool IncludeSourceCommitInBuild,
    bool InjectBuildArgsToDockerfile,
    bool IsAutoDeployEnabled,
    bool IsConsistentContainerNameEnabled,
    bool IsEnvSortingEnabled,
    bool IsForceHttpsEnabled,
    bool IsGitLfsEnabled,
    bool IsGitShallowCloneEnabled,
    bool IsGitSubmodulesEnabled,
    bool IsGzipEnabled,
    bool IsPrDeploymentsPublicEnabled,
    bool IsPreserveRepositoryEnabled,
    bool IsPreviewDeploymentsEnabled,
    bool IsSpa,
    bool IsStatic,
    bool IsStripprefixEnabled,
    int StopGracePeriod,
    bool UseBuildSecrets)
{
    // Switches for what Slipway does not have, at the one value Slipway accepts (ApplicationTable.Compatibility).
    public bool IsBuildServerEnabled => false;
    public bool IsContainerLabelEscapeEnabled => true;
    public bool IsLogDrainEnabled => false;

    // Coolify's settings of features Slipway does not have (GPUs, compose, swarm, debug logs), shown off.
    public string? GpuCount => null;
    public string? GpuDeviceIds => null;
    public string? GpuDriver => null;
    public string? GpuOptions => null;
    public bool IsContainerLabelReadonlyEnabled => true;
    public bool IsDebugEnabled => false;
    public bool IsGpuEnabled => false;
    public bool IsIncludeTimestamps => false;
    public bool IsRawComposeDeploymentEnabled => false;
    public bool IsSwarmOnlyWorkerNodes => false;

    public static ApplicationSettingsResponse From(Application a) => new(
        a.Id, a.ConnectToDockerNetwork, a.CustomInternalName, a.DisableBuildCache, a.DockerImagesToKeep, a.IncludeSourceCommitInBuild,
        a.InjectBuildArgsToDockerfile, a.IsAutoDeployEnabled, a.IsConsistentContainerNameEnabled, a.IsEnvSortingEnabled, a.IsForceHttpsEnabled, a.IsGitLfsEnabled,
        a.IsGitShallowCloneEnabled, a.IsGitSubmodulesEnabled, a.IsGzipEnabled, a.IsPrDeploymentsPublicEnabled, a.IsPreserveRepositoryEnabled,
        a.IsPreviewDeploymentsEnabled, a.IsSpa, a.IsStatic, a.IsStripprefixEnabled, a.StopGracePeriod, a.UseBuildSecrets);
}
