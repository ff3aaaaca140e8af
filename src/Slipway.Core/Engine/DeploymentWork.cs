using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Servers;

namespace Slipway.Core.Engine;

/// <summary>
/// Everything a run needs, loaded once when it starts: the row, its application and server, decrypted secrets,
/// and — for a pull request deployment — its preview (null when the preview no longer exists).
/// </summary>
public sealed record DeploymentWork(
    Deployment Deployment,
    Application Application,
    Server Server,
    IReadOnlyList<ResolvedVariable> Variables,
    string? DeployKey,
    PreviewTarget? Preview = null)
{
    /// <summary>Keys of locked preview variables a preview does not get (<see cref="DeploymentVariables"/>); the log names them.</summary>
    public IReadOnlyList<string> LockedLeftOut { get; init; } = [];
}

/// <summary>A preview's own address and where its commits are: its host port, its domain, and the ref holding the PR's commits.</summary>
public sealed record PreviewTarget(int Port, string? Fqdn, string? SourceRef);

/// <summary>
/// An environment variable with its value decrypted; <see cref="IsSecret"/> values are redacted from logs.
/// <see cref="IsPreview"/>: from the preview set (a pull request deployment gets only those).
/// </summary>
public sealed record ResolvedVariable(string Key, string Value, bool IsBuildtime, bool IsRuntime, bool IsSecret, bool IsPreview = false);
