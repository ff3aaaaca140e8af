namespace Slipway.Core.Previews;

/// <summary>
/// A pull request's preview of an application (Coolify's <c>application_previews</c>): created by the first PR
/// webhook that deploys it, deleted with its containers and images when the PR closes. Its deployments are the
/// application's deployments with <c>pull_request_id</c> set.
/// </summary>
public sealed class ApplicationPreview
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long ApplicationId { get; set; }

    /// <summary>The server the preview runs on (the application's, when it was created); ports are unique per server.</summary>
    public long ServerId { get; set; }

    public int PullRequestId { get; set; }
    public string? PullRequestHtmlUrl { get; set; }

    /// <summary><c>github</c>, <c>gitlab</c>, <c>gitea</c> or <c>bitbucket</c>.</summary>
    public string? GitType { get; set; }

    /// <summary>The preview's domain from the application's <c>preview_url_template</c>; null without an application domain.</summary>
    public string? Fqdn { get; set; }

    /// <summary>
    /// The host port the preview listens on when the application uses host networking (there every container shares
    /// the host's ports, so each preview needs its own). Allocated from the configured range, unique per server.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// The server's 127.0.0.1 port the proxy dials for a preview rolled out beside its previous container (no host
    /// ports, no host networking), recorded by the engine at the switch; null otherwise.
    /// </summary>
    public int? ProxyUpstreamPort { get; set; }

    /// <summary>The previous container's port, listed behind the new one while it drains; null otherwise.</summary>
    public int? ProxyDrainingPort { get; set; }

    /// <summary>The git ref that holds the PR's commits (<c>refs/pull/N/head</c>, or the source branch): fetched when a commit cannot be fetched by SHA.</summary>
    public string? SourceRef { get; set; }

    /// <summary>The PR head commit the last webhook reported.</summary>
    public string? Commit { get; set; }

    public string Status { get; set; } = "exited";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
