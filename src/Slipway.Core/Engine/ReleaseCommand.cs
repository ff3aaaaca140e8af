using System.Globalization;
using Slipway.Core.Commands;

namespace Slipway.Core.Engine;

/// <summary>
/// Runs a pre- or post-deployment command in a running container (<see cref="DockerCommands.ExecRelease"/>), its output
/// streamed into the deployment's log, within <see cref="EngineOptions.ReleaseCommandTimeout"/>. A timeout or a cancel
/// kills the command inside the container as well (<see cref="DockerCommands.KillRelease"/>): stopping the
/// <c>docker exec</c> client alone would leave it running.
/// </summary>
public static class ReleaseCommand
{
    /// <summary>How long past the timeout the host waits for <c>docker exec</c> (the container's own <c>timeout</c> acts first).</summary>
    private static readonly TimeSpan ClientGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan KillBudget = TimeSpan.FromSeconds(30);

    /// <summary>Null when the command exited 0; else what went wrong. Throws when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task<string?> RunAsync(DeploymentContext context, string container, string kind, string command, CancellationToken cancellationToken)
    {
        var timeout = context.Options.ReleaseCommandTimeout;
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        var marker = $"{context.Deployment.Uuid}-{kind}";
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout + ClientGrace);
        try
        {
            var result = await context.RunAsync(DockerCommands.ExecRelease(container, marker, command, seconds), limit.Token, throwOnFailure: false);
            if (result.Succeeded)
            {
                return null;
            }

            var code = result.ExitCode.ToString(CultureInfo.InvariantCulture);
            return result.ExitCode == 137 ? $"it was killed after {Text(seconds)}s (exit code {code}; the release command timeout)" : $"exit code {code}";
        }
        catch (OperationCanceledException)
        {
            await KillAsync(context, container, marker);
            if (cancellationToken.IsCancellationRequested)
            {
                await context.Log.InfoAsync($"Stopped the {kind}-deployment command in {container}.");
                throw;
            }

            return $"it did not end within {Text(seconds)}s (the release command timeout) and was killed";
        }
    }

    private static async Task KillAsync(DeploymentContext context, string container, string marker)
    {
        using var budget = new CancellationTokenSource(KillBudget);
        try
        {
            await context.RunAsync(DockerCommands.KillRelease(container, marker), budget.Token, throwOnFailure: false, quiet: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await context.Log.ErrorAsync($"Could not stop the command inside {container}: {ex.Message}");
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
