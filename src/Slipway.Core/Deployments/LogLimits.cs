namespace Slipway.Core.Deployments;

/// <summary>
/// How much command output one deployment's log stores (the server's <c>deployment_log_max_lines</c> and
/// <c>deployment_log_max_bytes</c>). Past either, one line says so, the run goes on, and the rest of its commands'
/// output is dropped, not stored; Slipway's own lines (steps, results, errors) are always stored.
/// </summary>
public sealed record LogLimits(int MaxLines, long MaxBytes)
{
    /// <summary>For logs nothing set limits on (a queued deployment's cancel reason): the server defaults.</summary>
    public static readonly LogLimits Default = new(Servers.Server.DefaultDeploymentLogMaxLines, Servers.Server.DefaultDeploymentLogMaxBytes);

    /// <summary>The line written once when a limit is reached.</summary>
    public string ReachedMessage(int lines, long bytes) =>
        $"Log limit reached after {lines} lines ({bytes} bytes) of command output (this server's deployment_log_max_lines is {MaxLines}, "
        + $"deployment_log_max_bytes {MaxBytes}): the deployment goes on, but the rest of its commands' output is not stored.";
}
