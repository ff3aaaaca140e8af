using Slipway.Core.Proxy;

namespace Slipway.Core.Servers;

/// <summary>A machine that runs deployments: this one (<see cref="IsLocalhost"/>) or one reached over SSH.</summary>
public sealed class Server
{
    public const int DefaultConcurrentBuilds = 2;
    public const int DefaultDeploymentQueueLimit = 25;
    public const int DefaultDynamicTimeoutSeconds = 3600;

    /// <summary>Default cap on the lines of a deployment's log: five times the 200,000-line benchmarks.</summary>
    public const int DefaultDeploymentLogMaxLines = 1_000_000;

    /// <summary>Default cap on the bytes of a deployment's log (256 MiB).</summary>
    public const long DefaultDeploymentLogMaxBytes = 256L * 1024 * 1024;

    /// <summary>Default number of each application's newest deployments whose logs are kept.</summary>
    public const int DefaultDeploymentLogRetention = 100;

    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long TeamId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string Ip { get; set; }
    public int Port { get; set; } = 22;
    public string User { get; set; } = "root";
    public long? PrivateKeyId { get; set; }
    public bool IsLocalhost { get; set; }

    /// <summary>Deployments that may be <c>in_progress</c> on this server at once (Coolify's default 2).</summary>
    public int ConcurrentBuilds { get; set; } = DefaultConcurrentBuilds;

    /// <summary>Queued deployments allowed before new triggers get 429 (Coolify's default 25).</summary>
    public int DeploymentQueueLimit { get; set; } = DefaultDeploymentQueueLimit;

    /// <summary>Seconds a deployment may run before it is failed and its slot freed (default 3600).</summary>
    public int DynamicTimeout { get; set; } = DefaultDynamicTimeoutSeconds;

    /// <summary>
    /// Whether applications on this server may use <c>--network host</c> (and production builds the host network).
    /// Off by default: a container on the host's network reaches every service listening on the server's loopback.
    /// </summary>
    public bool AllowHostNetwork { get; set; }

    /// <summary>The docker client builds use, an absolute path; null until the engine probed the server (<see cref="DockerProbe"/>).</summary>
    public string? DockerClientPath { get; set; }

    /// <summary>Whether <see cref="DockerClientPath"/> builds with BuildKit.</summary>
    public bool? DockerBuildKit { get; set; }

    /// <summary>Whether the server's Docker engine has a default bridge network.</summary>
    public bool? DockerDefaultBridge { get; set; }

    public DateTime? DockerProbedAt { get; set; }

    /// <summary>
    /// Lines of command output a deployment's log stores; past it one line says so, the build goes on, and the rest
    /// of its output is not stored (Slipway's own step lines still are).
    /// </summary>
    public int DeploymentLogMaxLines { get; set; } = DefaultDeploymentLogMaxLines;

    /// <summary>Bytes of command output (UTF-8) a deployment's log stores, with the same effect as the line cap.</summary>
    public long DeploymentLogMaxBytes { get; set; } = DefaultDeploymentLogMaxBytes;

    /// <summary>
    /// How many of each application's newest deployments keep their logs; older ones that have ended have their log
    /// replaced by one line saying it was pruned (<see cref="Deployments.LogRetention"/>). The deployments stay.
    /// </summary>
    public int DeploymentLogRetention { get; set; } = DefaultDeploymentLogRetention;

    public bool IsReachable { get; set; }
    public bool IsUsable { get; set; }

    /// <summary>SSH host key fingerprint recorded on first connection and verified afterwards.</summary>
    public string? HostKeyFingerprint { get; set; }

    public string? ValidationLogs { get; set; }

    /// <summary>The server's edge proxy settings (off until a user turns it on).</summary>
    public ServerProxy Proxy { get; set; } = new();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The recorded probe of the server's Docker, or null when it has not been probed (or was cleared).</summary>
    public DockerProbe? GetDockerProbe() =>
        DockerClientPath is { } client && DockerBuildKit is { } buildKit && DockerDefaultBridge is { } bridge && DockerProbedAt is { } at
            ? new DockerProbe(client, buildKit, bridge, at)
            : null;

    /// <summary>Records a probe, or clears it (<paramref name="probe"/> null) so the next build probes again.</summary>
    public void SetDockerProbe(DockerProbe? probe)
    {
        DockerClientPath = probe?.ClientPath;
        DockerBuildKit = probe?.BuildKit;
        DockerDefaultBridge = probe?.DefaultBridge;
        DockerProbedAt = probe?.ProbedAt;
    }
}
