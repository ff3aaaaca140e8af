using System.Globalization;
using Slipway.Core.Commands;

namespace Slipway.Core.Engine.Health;

/// <summary>
/// <c>health_check_type</c> <c>cmd</c>: <c>health_check_command</c> run in the new container by <c>docker exec</c>
/// (an argument list; the container's own <c>sh -c</c> runs it), with the HTTP check's start period, interval, retries
/// and timeout. Exit code 0 is healthy. The proof that the NEW container passed is where it ran: <c>docker exec</c>
/// addresses the new container by its name, and its state is read before each attempt (a stopped container fails).
/// </summary>
public static class CommandCheck
{
    /// <summary>How long past the check's timeout the host waits for <c>docker exec</c> before killing it.</summary>
    private static readonly TimeSpan ClientGrace = TimeSpan.FromSeconds(5);

    public static async Task<string?> RunAsync(DeploymentContext context, string container, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var command = app.HealthCheckCommand ?? string.Empty;
        return await HealthAttempts.RunAsync(context, container, known: null, " of the health_check_command", async _ =>
        {
            var failure = await AttemptAsync(context, container, command, app.HealthCheckTimeout, cancellationToken);
            var healthy = failure.Length == 0;
            return new HealthAttempts.Outcome(healthy, $"command in {container}: {(healthy ? "exit code 0" : failure)}", failure);
        }, whenHealthy: null, cancellationToken);
    }

    /// <summary>Empty when the command exited 0; else what went wrong (exit code, or the timeout).</summary>
    private static async Task<string> AttemptAsync(DeploymentContext context, string container, string command, int timeoutSeconds, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds) + ClientGrace);
        try
        {
            var result = await context.RunAsync(DockerCommands.ExecHealthCheck(container, command, timeoutSeconds), timeout.Token, throwOnFailure: false);
            return result.Succeeded ? string.Empty : $"exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}{Timeout(result.ExitCode, timeoutSeconds)}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {timeoutSeconds}s (health_check_timeout)";
        }
    }

    /// <summary><c>timeout -s KILL</c> ends the command with 137 (128 + SIGKILL).</summary>
    private static string Timeout(int exitCode, int timeoutSeconds) =>
        exitCode == 137 ? $" (killed after {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}s, health_check_timeout)" : string.Empty;
}
