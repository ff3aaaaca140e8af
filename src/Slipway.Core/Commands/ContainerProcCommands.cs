using System.Globalization;
using Slipway.Core.Execution;

namespace Slipway.Core.Commands;

/// <summary>
/// Reads a running container's kernel state through its init process on the host (<c>/proc/PID</c>, the PID
/// <c>docker inspect</c> reports): no <c>docker exec</c>, nothing needed inside the image.
/// </summary>
public static class ContainerProcCommands
{
    /// <summary>
    /// The sockets listening (state <c>0A</c>) on <paramref name="port"/> in the container's network namespace, as
    /// lines of its TCP tables (IPv4 then IPv6). Only those lines: on a busy host the full tables run to hundreds of
    /// lines, every one of which would be stored in the deployment's log. Exits 1 when there are none.
    /// </summary>
    public static CommandSpec ListeningSockets(int initPid, int port) =>
        CommandSpec.Of("grep", "-h", "-E", $"^ *[0-9]+: [0-9A-F]+:{port.ToString("X4", CultureInfo.InvariantCulture)} [0-9A-F]+:[0-9A-F]+ 0A ",
            $"/proc/{Pid(initPid)}/net/tcp", $"/proc/{Pid(initPid)}/net/tcp6");

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
