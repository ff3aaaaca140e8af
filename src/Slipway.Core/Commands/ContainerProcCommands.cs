using System.Globalization;
using Slipway.Core.Execution;

namespace Slipway.Core.Commands;

/// <summary>
/// Reads a running container's kernel state through its init process on the host (<c>/proc/PID</c>, the PID
/// <c>docker inspect</c> reports): no <c>docker exec</c>, nothing needed inside the image.
/// </summary>
public static class ContainerProcCommands
{
    /// <summary>The TCP socket tables of the container's network namespace (IPv4 then IPv6).</summary>
    public static CommandSpec SocketTables(int initPid) =>
        CommandSpec.Of("cat", $"/proc/{Pid(initPid)}/net/tcp", $"/proc/{Pid(initPid)}/net/tcp6");

    /// <summary>
    /// The sockets held open by every process of the container, one <c>socket:[INODE]</c> per line. The
    /// container's own <c>/proc</c> (reached through its root, <c>/proc/PID/root/proc</c>) lists exactly the
    /// processes of its PID namespace, so one <c>find</c> covers them all: the numbered directories' <c>fd</c>
    /// links, everything else pruned. GNU find (<c>-lname</c>, <c>-printf</c>); elsewhere the output is empty.
    /// </summary>
    public static CommandSpec Sockets(int initPid)
    {
        var root = $"/proc/{Pid(initPid)}/root/proc";
        return CommandSpec.Of("find", root, "-maxdepth", "3",
            "(", "-path", $"{root}/[!0-9]*", "-prune", ")", "-o",
            "(", "-path", $"{root}/[0-9]*/fd/*", "-lname", "socket:*", "-printf", "%l\\n", ")");
    }

    private static string Pid(int pid) =>
        pid > 0 ? pid.ToString(CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(pid), pid, "A running container's PID is positive.");
}
