using System.Globalization;
using Renci.SshNet;
using Slipway.Core.Execution;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Stops a remote command and everything it started: SIGTERM to its process group, a grace period polled until
/// no member is left running, then SIGKILL. Sent on separate channels of the same connection. <c>kill -SIG -PGID</c> without
/// <c>--</c> is the one spelling that both bash and dash accept as "the group".
/// </summary>
internal static class RemoteProcessGroup
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task KillAsync(SshClient client, int processGroup, TimeSpan grace)
    {
        var group = "-" + processGroup.ToString(CultureInfo.InvariantCulture);
        await RunAsync(client, ["kill", "-TERM", group]);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline)
        {
            if (!await IsAliveAsync(client, processGroup))
            {
                return;
            }

            await Task.Delay(PollInterval);
        }

        await RunAsync(client, ["kill", "-KILL", group]);
    }

    /// <summary>
    /// True while a process of the group is still running. <c>kill -0</c> alone also counts zombies, which an
    /// init that reaps slowly leaves behind for seconds after the kill; where /proc exists they are told apart.
    /// </summary>
    public static async Task<bool> IsAliveAsync(SshClient client, int processGroup) =>
        await RunAsync(client, ["sh", "-c", LivenessScript, "sh", processGroup.ToString(CultureInfo.InvariantCulture)]) == 0;

    /// <summary>Exit 0 when a non-zombie member of process group $1 exists. The text after the last ") " of /proc/PID/stat is: state ppid pgrp …</summary>
    private const string LivenessScript = """
        kill -0 -"$1" 2>/dev/null || exit 1
        [ -d /proc/self ] || exit 0
        group=$1
        for stat in /proc/[0-9]*/stat; do
          read -r line <"$stat" || continue
          set -- ${line##*") "}
          [ "$3" = "$group" ] && [ "$1" != Z ] && exit 0
        done 2>/dev/null
        exit 1
        """;

    private static async Task<int> RunAsync(SshClient client, IReadOnlyList<string> words)
    {
        using var command = client.CreateCommand(ShellQuoting.Join(words));
        await command.ExecuteAsync(CancellationToken.None);
        return command.ExitStatus ?? -1;
    }
}
