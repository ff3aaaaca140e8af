using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>How git reaches the repository: plainly, or over SSH with the application's deploy key.</summary>
internal static class GitAccess
{
    public static string KeyDirectory(DeploymentContext context) => $"{context.WorkDir}/ssh";

    public static string KeyPath(DeploymentContext context) => $"{KeyDirectory(context)}/deploy_key";

    public static IReadOnlyDictionary<string, string> Environment(DeploymentContext context)
    {
        if (context.Work.DeployKey is null)
        {
            return GitCommands.BaseEnvironment(null);
        }

        // git runs GIT_SSH_COMMAND through a shell; the paths in it are quoted by the one quoting function.
        var ssh = string.Join(' ',
            "ssh", "-i", ShellQuoting.Quote(KeyPath(context)),
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new",
            "-o", "UserKnownHostsFile=" + ShellQuoting.Quote($"{KeyDirectory(context)}/known_hosts"));
        return GitCommands.BaseEnvironment(ssh);
    }
}
