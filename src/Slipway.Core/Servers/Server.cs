using Slipway.Core.Proxy;

namespace Slipway.Core.Servers;

/// <summary>A machine that runs deployments: this one (<see cref="IsLocalhost"/>) or one reached over SSH.</summary>
public sealed class Server
{
    public const int DefaultConcurrentBuilds = 2;
    public const int DefaultDeploymentQueueLimit = 25;
    public const int DefaultDynamicTimeoutSeconds = 3600;

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

    public bool IsReachable { get; set; }
    public bool IsUsable { get; set; }

    /// <summary>SSH host key fingerprint recorded on first connection and verified afterwards.</summary>
    public string? HostKeyFingerprint { get; set; }

    public string? ValidationLogs { get; set; }

    /// <summary>The server's edge proxy settings (off until a user turns it on).</summary>
    public ServerProxy Proxy { get; set; } = new();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
