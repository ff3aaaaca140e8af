using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Health;

/// <summary>
/// Proves that a port is served by a given container: the listening socket on that port (from the kernel's
/// <c>tcp</c> tables) must be held open by one of the container's processes (their <c>fd</c> links). With host
/// networking an HTTP answer alone could come from anything on the machine; this cannot.
/// </summary>
public static partial class PortOwnership
{
    /// <summary>
    /// First through the container's init process (<paramref name="initPid"/>): its network namespace's listening sockets and
    /// its PID namespace's sockets, two commands run side by side. Where that finds no owner (another process holds
    /// the port, or the server's <c>find</c> cannot list the sockets), the slower proof decides: the machine's
    /// tables, <c>docker top</c>, and each process's <c>fd</c> directory.
    /// </summary>
    public static async Task<bool> IsOwnedByAsync(DeploymentContext context, string container, int initPid, int port, CancellationToken cancellationToken)
    {
        if (initPid > 0)
        {
            var tables = context.RunAsync(ContainerProcCommands.ListeningSockets(initPid, port), cancellationToken, throwOnFailure: false, quiet: true);
            var sockets = context.RunAsync(ContainerProcCommands.Sockets(initPid), cancellationToken, throwOnFailure: false, quiet: true);
            await Task.WhenAll(tables, sockets);
            // find exits non-zero when a process ends while it walks; the sockets it did list still count.
            if (HoldsAny((await sockets).StandardOutput, ListeningInodes((await tables).StandardOutput, port)))
            {
                return true;
            }
        }

        return await IsOwnedByTopAsync(context, container, port, cancellationToken);
    }

    private static async Task<bool> IsOwnedByTopAsync(DeploymentContext context, string container, int port, CancellationToken cancellationToken)
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
            if (HoldsAny(fds.StandardOutput, listening))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any line naming a socket (<c>socket:[INODE]</c>, as <c>ls -l</c> or <c>readlink</c> show it) names one of <paramref name="inodes"/>.</summary>
    public static bool HoldsAny(IEnumerable<string> lines, IReadOnlySet<string> inodes) =>
        inodes.Count > 0 && lines.Any(line => SocketInode().Match(line) is { Success: true } m && inodes.Contains(m.Groups[1].Value));

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
