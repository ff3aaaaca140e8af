using Slipway.Core.Projects;
using Slipway.Core.Routing;

namespace Slipway.Core.Applications;

/// <summary>
/// An application: where its code comes from, how it is built, and how its container runs and is checked.
/// Field names and defaults follow Coolify's <c>applications</c> table for what Slipway supports.
/// </summary>
public sealed class Application
{
    public long Id { get; set; }
    public required string Uuid { get; set; }

    /// <summary>Owning team, copied from the project at creation so every query can be scoped in one step.</summary>
    public long TeamId { get; set; }

    public long EnvironmentId { get; set; }
    public ProjectEnvironment? Environment { get; set; }
    public long ServerId { get; set; }
    public long? PrivateKeyId { get; set; }

    public required string Name { get; set; }
    public string? Description { get; set; }

    public string? GitRepository { get; set; }

    /// <summary>
    /// The git host's SSH key(s) as <c>known_hosts</c> lines, pinned by the first deployment that reached the host
    /// over SSH and verified by every later one (cleared by <c>DELETE …/git-host-key</c> or a new repository).
    /// </summary>
    public string? GitHostKeys { get; set; }

    public string? GitBranch { get; set; }
    public string GitCommitSha { get; set; } = "HEAD";

    public string BuildPack { get; set; } = Applications.BuildPack.Dockerfile;
    public string BaseDirectory { get; set; } = "/";
    public string DockerfileLocation { get; set; } = "/Dockerfile";

    /// <summary>An inline Dockerfile (applications created through <c>POST /applications/dockerfile</c>).</summary>
    public string? Dockerfile { get; set; }

    public string? DockerRegistryImageName { get; set; }
    public string? DockerRegistryImageTag { get; set; }
    public string StaticImage { get; set; } = "nginx:alpine";

    /// <summary>The web server of the <c>static</c> build pack's image: <c>nginx</c> (default) or <c>busybox-httpd</c>.</summary>
    public string StaticServer { get; set; } = Applications.StaticServer.Nginx;

    public string PortsExposes { get; set; } = "80";
    public string? PortsMappings { get; set; }
    public string? Fqdn { get; set; }

    /// <summary>
    /// Zero-downtime rollout: the port on the server's 127.0.0.1 that Slipway chose for the serving container (on the
    /// server's <c>slipway</c> network, its first exposed port published there). The proxy dials it; null when the
    /// application is reached otherwise (host networking, <c>ports_mappings</c>) or was never rolled out this way.
    /// </summary>
    public int? ProxyUpstreamPort { get; set; }

    /// <summary>During a rollout's drain: the previous container's port, listed behind the new one until its requests end.</summary>
    public int? ProxyDrainingPort { get; set; }

    /// <summary>Coolify's www redirect: <c>www</c> (non-www hosts redirect to www), <c>non-www</c> (the reverse) or <c>both</c> (none).</summary>
    public string Redirect { get; set; } = RedirectModes.Both;

    /// <summary>HTTP requests to an <c>https://</c> domain are redirected to HTTPS (Coolify's default: on).</summary>
    public bool IsForceHttpsEnabled { get; set; } = true;

    public bool IsHttpBasicAuthEnabled { get; set; }
    public string? HttpBasicAuthUsername { get; set; }

    /// <summary>The basic-auth password as a bcrypt hash; the password itself is never stored or returned.</summary>
    public string? HttpBasicAuthPasswordHash { get; set; }

    public bool IsGzipEnabled { get; set; } = true;

    /// <summary>A domain's path prefix is removed before the request reaches the application (Coolify's default: on).</summary>
    public bool IsStripprefixEnabled { get; set; } = true;

    public bool HealthCheckEnabled { get; set; }
    public string HealthCheckPath { get; set; } = "/";
    public string? HealthCheckPort { get; set; }
    public string HealthCheckHost { get; set; } = "localhost";
    public string HealthCheckMethod { get; set; } = "GET";
    public int HealthCheckReturnCode { get; set; } = 200;
    public string HealthCheckScheme { get; set; } = "http";
    public string? HealthCheckResponseText { get; set; }
    public int HealthCheckInterval { get; set; } = 5;
    public int HealthCheckTimeout { get; set; } = 5;
    public int HealthCheckRetries { get; set; } = 10;
    public int HealthCheckStartPeriod { get; set; } = 5;

    /// <summary><c>http</c> (the HTTP request above) or <c>cmd</c>: <see cref="HealthCheckCommand"/> run in the new container.</summary>
    public string HealthCheckType { get; set; } = Validation.HealthCheckRules.TypeHttp;

    /// <summary>For <c>cmd</c>: run as <c>docker exec … sh -c COMMAND</c> in the new container; exit code 0 is healthy.</summary>
    public string? HealthCheckCommand { get; set; }

    public string? CustomDockerRunOptions { get; set; }
    public string LimitsMemory { get; set; } = "0";
    public string LimitsCpus { get; set; } = "0";

    /// <summary><c>--memory-swap</c> (memory plus swap); "0" passes nothing, "-1" is unlimited swap.</summary>
    public string LimitsMemorySwap { get; set; } = "0";

    /// <summary><c>--memory-swappiness</c> (0-100); Coolify's default 60 is the kernel's, so it is not passed.</summary>
    public int LimitsMemorySwappiness { get; set; } = 60;

    /// <summary><c>--memory-reservation</c> (a soft limit); "0" passes nothing.</summary>
    public string LimitsMemoryReservation { get; set; } = "0";

    /// <summary><c>--cpuset-cpus</c> (<c>0-1</c>, <c>0,2</c>); null passes nothing.</summary>
    public string? LimitsCpuset { get; set; }

    /// <summary><c>--cpu-shares</c> (relative weight); Coolify's default 1024 is Docker's, so it is not passed.</summary>
    public int LimitsCpuShares { get; set; } = 1024;

    /// <summary>More than 0: Docker's <c>on-failure:N</c> restart policy; 0 keeps <c>unless-stopped</c>.</summary>
    public int MaxRestartCount { get; set; }

    /// <summary>The user's container labels, one <c>key=value</c> per line (decoded; the API speaks base64 as Coolify does).</summary>
    public string? CustomLabels { get; set; }

    /// <summary>A fixed container name (production); previews keep <c>{uuid}-pr-{N}</c>.</summary>
    public string? CustomInternalName { get; set; }

    /// <summary>The production container is always named <c>{uuid}</c> (unless <see cref="CustomInternalName"/> names it).</summary>
    public bool IsConsistentContainerNameEnabled { get; set; }

    /// <summary>The container joins the server's <c>slipway</c> network even when its run options put it on <c>bridge</c>.</summary>
    public bool ConnectToDockerNetwork { get; set; }

    /// <summary>
    /// Run in the NEW container after it started and before it receives traffic (a release phase); a non-zero exit
    /// fails the deployment and the old container keeps serving. Newlines are flattened to spaces, as Coolify does.
    /// </summary>
    public string? PreDeploymentCommand { get; set; }

    /// <summary>Coolify's service name for a compose application; a single-container application runs it in its only container.</summary>
    public string? PreDeploymentCommandContainer { get; set; }

    /// <summary>Run in the new container once it serves; a failure is logged and the deployment stays finished.</summary>
    public string? PostDeploymentCommand { get; set; }

    /// <summary>As <see cref="PreDeploymentCommandContainer"/>, for the post-deployment command.</summary>
    public string? PostDeploymentCommandContainer { get; set; }

    /// <summary>The Dockerfile stage to build (<c>docker build --target</c>); null builds the last stage.</summary>
    public string? DockerfileTargetBuild { get; set; }

    /// <summary>Pass the commit as the <c>SOURCE_COMMIT</c> build argument (off by default: it defeats the build cache).</summary>
    public bool IncludeSourceCommitInBuild { get; set; }

    /// <summary>Build-time variables become <c>--build-arg</c>s (Coolify's default on); off, the Dockerfile gets none of them.</summary>
    public bool InjectBuildArgsToDockerfile { get; set; } = true;

    /// <summary>Build-time variables are passed as BuildKit secrets (<c>--secret id=NAME,env=NAME</c>) instead of build arguments.</summary>
    public bool UseBuildSecrets { get; set; }

    /// <summary>Run <c>git lfs pull</c> after the clone (Coolify's default on).</summary>
    public bool IsGitLfsEnabled { get; set; } = true;

    /// <summary>Keep the cloned repository on the server after the build (in the application's own directory) instead of removing it.</summary>
    public bool IsPreserveRepositoryEnabled { get; set; }

    /// <summary>Coolify's "static site" switch: the built output is served by the static build pack's web server.</summary>
    public bool IsStatic { get; set; }

    /// <summary>A single-page application: unknown paths answer <c>index.html</c> (static build pack).</summary>
    public bool IsSpa { get; set; }

    /// <summary>The directory served by the static build pack, relative to the base directory (null or <c>/</c>: the base directory itself).</summary>
    public string? PublishDirectory { get; set; }

    /// <summary>
    /// The subset of the domains served with <c>X-Robots-Tag: noindex, nofollow</c>, comma-separated hosts (Coolify's
    /// <c>noindex_domains</c>); a host that is not one of the application's domains is kept but routes nothing.
    /// </summary>
    public string? NoindexDomains { get; set; }

    /// <summary>Variables reach the container sorted by key (the default, as before); off, in the order they were added.</summary>
    public bool IsEnvSortingEnabled { get; set; } = true;

    public string? WatchPaths { get; set; }
    public bool IsAutoDeployEnabled { get; set; } = true;
    public bool IsPreviewDeploymentsEnabled { get; set; }
    public bool IsPrDeploymentsPublicEnabled { get; set; }
    public string PreviewUrlTemplate { get; set; } = "{{pr_id}}.{{domain}}";

    /// <summary>How many pull requests may have a preview at once (Slipway addition, default 3); more are refused with a reason.</summary>
    public int PreviewDeploymentsLimit { get; set; } = 3;

    /// <summary>Per-provider webhook secrets, protected at rest.</summary>
    public string? ProtectedWebhookSecretGithub { get; set; }
    public string? ProtectedWebhookSecretGitlab { get; set; }
    public string? ProtectedWebhookSecretGitea { get; set; }
    public string? ProtectedWebhookSecretBitbucket { get; set; }

    public int DockerImagesToKeep { get; set; } = 2;
    public bool IsGitSubmodulesEnabled { get; set; } = true;
    public bool IsGitShallowCloneEnabled { get; set; } = true;
    public bool DisableBuildCache { get; set; }
    public int StopGracePeriod { get; set; } = 30;

    public string Status { get; set; } = "exited";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<ApplicationTag> Tags { get; set; } = [];
}
