namespace Slipway.Core.Engine;

/// <summary>Engine settings. Defaults suit production; tests shorten the waits.</summary>
public sealed class EngineOptions
{
    /// <summary>How long a container without any health check must stay running to count as started (default 2 s).</summary>
    public TimeSpan StartupGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often container state is polled while waiting (default 500 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long running deployments get to stop and clean up when Slipway shuts down (default 30 s).</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the scheduler looks at the queue without being woken (default 5 s): the safety net under the
    /// wake-up notifications of other instances.
    /// </summary>
    public TimeSpan SafetyPoll { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lines of the new container's log copied into a failed deployment's log (default 50).</summary>
    public int FailureLogLines { get; set; } = 50;

    /// <summary>How long a pre- or post-deployment command may run before it is killed (default 30 min: migrations can be slow).</summary>
    public TimeSpan ReleaseCommandTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The docker clients a server's probe tries for builds, in order: a name is looked up on the server's PATH, a
    /// path is taken as it is. The first that builds with BuildKit is used, else the first found (legacy builder).
    /// Default: <c>docker</c>, then <c>/usr/bin/docker</c> — Debian's engine package puts its own client there, and it
    /// builds with BuildKit where a newer client earlier on PATH may lack buildx.
    /// </summary>
    public IList<string>? DockerClients { get; set; }

    public static readonly IReadOnlyList<string> DefaultDockerClients = ["docker", "/usr/bin/docker"];
}
