namespace Slipway.Core.Servers;

/// <summary>
/// What the engine probed on a server before its first build, recorded on the server row so it runs once: the docker
/// client builds use (an absolute path), whether that client builds with BuildKit, and whether the engine has a
/// default bridge network (engines started with <c>--bridge=none</c> have none, and BuildKit cannot build on it).
/// Validating the server or changing how it is reached clears it, so the next build probes again.
/// </summary>
public sealed record DockerProbe(string ClientPath, bool BuildKit, bool DefaultBridge, DateTime ProbedAt)
{
    /// <summary>How builds on this server are made, for the deployment log.</summary>
    public string Builder => BuildKit ? $"BuildKit ({ClientPath})" : $"the legacy builder ({ClientPath}; no BuildKit found)";
}
