using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Health;

/// <summary>
/// Proves that a port is served by a given container: the listening socket on that port (from
/// <c>/proc/net/tcp*</c>) must be held open by one of the container's processes (their <c>/proc/PID/fd</c>).
/// With host networking an HTTP answer alone could come from anything on the machine; this cannot.
/// </summary>
public static partial class PortOwnership
{
    public static async Task<bool> IsOwnedByAsync(DeploymentContext context, string container, int port, CancellationToken cancellationToken)
    {
        var tables = await context.RunAsync(CommandSpec.Of("cat", "/proc/net/tcp", "/proc/net/tcp6"), cancellationToken, throwOnFailure: false, quiet: true);
        var listening = ListeningInodes(tables.StandardOutput, port);
        if (listening.Count == 0)
        {
            return false;
        }

        var top = await context.RunAsync(DockerCommands.Top(container), cancellationToken, throwOnFailure: false, quiet: true);
        var pids = top.StandardOutput.Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0 && l.All(char.IsAsciiDigit));
        foreach (var pid in pids)
        {
            var fds = await context.RunAsync(CommandSpec.Of("ls", "-l", $"/proc/{pid}/fd"), cancellationToken, throwOnFailure: false, quiet: true);
            if (fds.StandardOutput.Any(line => SocketInode().Match(line) is { Success: true } m && listening.Contains(m.Groups[1].Value)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Inodes of sockets in state LISTEN (0A) on <paramref name="port"/>, from the kernel's tables.</summary>
    public static HashSet<string> ListeningInodes(IEnumerable<string> lines, int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length < 10 || columns[3] != "0A")
            {
                continue;
            }

            var local = columns[1];
            if (local.EndsWith(":" + hexPort, StringComparison.Ordinal) && columns[9] != "0")
            {
                inodes.Add(columns[9]);
            }
        }

        return inodes;
    }

    [GeneratedRegex(@"socket:\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex SocketInode();
}
