using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Renci.SshNet.Common;
using Slipway.Core.Common;
using Slipway.Core.Execution;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Execution;

namespace Slipway.Infrastructure.Servers;

/// <summary>
/// Checks that a server can take deployments: connect to it (locally or over SSH) and ask Docker for its server
/// version. The outcome is stored on the server row (<c>is_reachable</c>, <c>is_usable</c>,
/// <c>validation_logs</c>) and returned, with a log that says what was found or what to fix.
/// </summary>
public sealed class ServerValidator(
    IExecutionTargets targets,
    IDbContextFactory<SlipwayDbContext> contexts,
    TimeProvider clock,
    ILogger<ServerValidator> logger)
{
    public static readonly CommandSpec DockerVersion = CommandSpec.Of("docker", "version", "--format", "{{.Server.Version}}");

    /// <summary>The whole check (connect and run) gives up after this long. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public async Task<ServerValidationResult> ValidateAsync(Server server, CancellationToken cancellationToken)
    {
        var result = await CheckAsync(server, cancellationToken);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = Timestamps.Now(clock);
        await db.Servers.Where(s => s.Id == server.Id).ExecuteUpdateAsync(
            s => s.SetProperty(x => x.IsReachable, result.IsReachable)
                .SetProperty(x => x.IsUsable, result.IsUsable)
                .SetProperty(x => x.ValidationLogs, result.Log)
                .SetProperty(x => x.UpdatedAt, now)
                // Docker may have changed since it was probed: the next build probes again.
                .SetProperty(x => x.DockerClientPath, (string?)null)
                .SetProperty(x => x.DockerBuildKit, (bool?)null)
                .SetProperty(x => x.DockerDefaultBridge, (bool?)null)
                .SetProperty(x => x.DockerProbedAt, (DateTime?)null),
            cancellationToken);
        server.SetDockerProbe(null);
        server.IsReachable = result.IsReachable;
        server.IsUsable = result.IsUsable;
        server.ValidationLogs = result.Log;
        server.UpdatedAt = now;

        ExecutionLog.ServerValidated(logger, server.Name, result.IsReachable, result.IsUsable);
        return result;
    }

    private async Task<ServerValidationResult> CheckAsync(Server server, CancellationToken cancellationToken)
    {
        var address = server.IsLocalhost ? "localhost" : $"{server.User}@{server.Ip}:{server.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        CommandResult docker;
        try
        {
            var target = await targets.GetAsync(server, timeout.Token);
            docker = await target.Runner.RunAsync(DockerVersion, throwOnFailure: false, cancellationToken: timeout.Token);
        }
        catch (CommandNotFoundException)
        {
            return new(true, false, $"Connected to {address}.\ndocker: command not found. Install Docker Engine on the server.");
        }
        catch (SshAuthenticationException error)
        {
            return new(false, false, $"SSH authentication failed for {address}: {error.Message} Is the key's public half in ~/.ssh/authorized_keys of {server.User} on the server?");
        }
        catch (SshHostKeyMismatchException error)
        {
            return new(false, false, $"{error.Message}. If the server was reinstalled, clear its recorded host key.");
        }
        catch (Exception error) when (IsConnectionFailure(error, cancellationToken))
        {
            // One answer for a closed port, a silent one and one that speaks another protocol: the socket's own
            // error would turn validation into a port scanner of whatever network this machine reaches. The
            // operator's log keeps the real cause.
            ExecutionLog.ServerUnreachable(logger, server.Name, address, error);
            return new(false, false, UnreachableMessage(address));
        }
        catch (Exception error) when (error is InvalidOperationException or CommandStartFailedException)
        {
            return new(false, false, error.Message);
        }

        return Interpret(address, docker);
    }

    /// <summary>What validation answers for every failure to open an SSH session (not for a refused key).</summary>
    public static string UnreachableMessage(string address) =>
        $"Could not open an SSH session with {address}: the connection failed, timed out, or no SSH server answered there. "
        + "Check the address, the port and any firewall in between.";

    private static bool IsConnectionFailure(Exception error, CancellationToken cancellationToken) =>
        error is SocketException or SshConnectionException or SshOperationTimeoutException or ProxyException
        || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        || (error is SshException and not SshAuthenticationException);

    private static ServerValidationResult Interpret(string address, CommandResult docker)
    {
        var version = docker.Output.Trim();
        if (docker.Succeeded && version.Length > 0)
        {
            return new(true, true, $"Connected to {address}.\nDocker Engine {version} is running.");
        }

        var errors = string.Join('\n', docker.StandardErrorTail);
        var advice = errors switch
        {
            _ when errors.Contains("Cannot connect to the Docker daemon", StringComparison.OrdinalIgnoreCase) =>
                "Cannot connect to the Docker daemon: is dockerd running?",
            _ when errors.Contains("permission denied", StringComparison.OrdinalIgnoreCase) =>
                "The Docker daemon refused this user (permission denied): use root or a member of the docker group.",
            _ => $"docker version failed with exit code {docker.ExitCode}.",
        };
        return new(true, false, $"Connected to {address}.\n{advice}\n{errors}".TrimEnd());
    }
}
