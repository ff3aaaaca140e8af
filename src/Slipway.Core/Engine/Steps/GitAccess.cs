using System.Security.Cryptography;
using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// How git reaches the repository: plainly, or over SSH — with the application's deploy key when it has one, and
/// always against the git host's key pinned for the application (its <c>GitHostKeys</c>): the first deployment that
/// reaches the host records its key, every later one is refused if the host presents another.
/// </summary>
internal static class GitAccess
{
    public const string KnownHostsFile = "known_hosts";
    public const string KeyFile = "deploy_key";

    /// <summary>What ssh says when the host's key is not the pinned one.</summary>
    private static readonly string[] HostKeyRefusals = ["Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED"];

    public static string KeyDirectory(DeploymentContext context) => $"{context.WorkDir}/ssh";

    public static string KeyPath(DeploymentContext context) => $"{KeyDirectory(context)}/{KeyFile}";

    /// <summary>Whether git talks SSH to the repository (<c>ssh://</c> or scp-like <c>user@host:path</c>).</summary>
    public static bool UsesSsh(string? repository) =>
        repository is not null && (repository.StartsWith("ssh://", StringComparison.Ordinal) || (!repository.Contains("://", StringComparison.Ordinal) && repository.Contains('@', StringComparison.Ordinal)));

    /// <summary>Whether a run needs the SSH directory (a deploy key, or an SSH repository whose host key is pinned).</summary>
    public static bool NeedsSshDirectory(string? repository, string? deployKey) => deployKey is not null || UsesSsh(repository);

    public static IReadOnlyDictionary<string, string> Environment(DeploymentContext context) =>
        Environment(KeyDirectory(context), context.Work.DeployKey is not null, context.Application.GitRepository, context.Application.GitHostKeys);

    /// <summary>git's environment when its SSH files are in <paramref name="directory"/> (see <see cref="PrepareAsync"/>).</summary>
    public static IReadOnlyDictionary<string, string> Environment(string directory, bool hasKey, string? repository, string? pinnedHostKeys)
    {
        if (!NeedsSshDirectory(repository, hasKey ? string.Empty : null))
        {
            return GitCommands.BaseEnvironment(null);
        }

        // git runs GIT_SSH_COMMAND through a shell; the paths in it are quoted by the one quoting function. Only the
        // pinned file counts (no global known_hosts); with nothing pinned yet the first key seen is accepted and kept.
        var ssh = new List<string> { "ssh" };
        if (hasKey)
        {
            ssh.AddRange(["-i", ShellQuoting.Quote($"{directory}/{KeyFile}"), "-o", "IdentitiesOnly=yes"]);
        }

        ssh.AddRange([
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=" + (string.IsNullOrWhiteSpace(pinnedHostKeys) ? "accept-new" : "yes"),
            "-o", "HashKnownHosts=no",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "UserKnownHostsFile=" + ShellQuoting.Quote($"{directory}/{KnownHostsFile}"),
        ]);
        return GitCommands.BaseEnvironment(string.Join(' ', ssh));
    }

    /// <summary>Writes the deploy key and the pinned host keys (both 0600) into <paramref name="directory"/>, created here.</summary>
    public static async Task PrepareAsync(IExecutionTarget target, string directory, string? deployKey, string? pinnedHostKeys, CancellationToken cancellationToken)
    {
        await target.CreateDirectoryAsync(directory, cancellationToken);
        if (deployKey is not null)
        {
            await target.WritePrivateFileAsync($"{directory}/{KeyFile}", deployKey.EndsWith('\n') ? deployKey : deployKey + "\n", cancellationToken);
        }

        var pinned = string.IsNullOrWhiteSpace(pinnedHostKeys) ? string.Empty : pinnedHostKeys.TrimEnd('\n') + "\n";
        await target.WritePrivateFileAsync($"{directory}/{KnownHostsFile}", pinned, cancellationToken);
    }

    /// <summary>
    /// After git first reached the host over SSH: pins the key ssh accepted (what it wrote to the run's known_hosts)
    /// on the application, unless one is pinned already. Later runs verify against it.
    /// </summary>
    public static async Task PinHostKeyAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        if (!UsesSsh(context.Application.GitRepository) || !string.IsNullOrWhiteSpace(context.Application.GitHostKeys))
        {
            return;
        }

        var known = await context.RunAsync(CommandSpec.Of("cat", "--", $"{KeyDirectory(context)}/{KnownHostsFile}"), cancellationToken, throwOnFailure: false, quiet: true);
        var lines = known.StandardOutput.Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (!known.Succeeded || lines.Count == 0)
        {
            return;
        }

        var keys = string.Join('\n', lines);
        context.Application.GitHostKeys = keys;
        if (await context.Store.PinGitHostKeysAsync(context.Application.Id, keys, cancellationToken))
        {
            await context.Log.InfoAsync(
                $"Pinned the git host's SSH key for this application ({string.Join(", ", lines.Select(Fingerprint))}): later deployments and webhook checks "
                + $"refuse any other key (reset it with DELETE /api/v1/applications/{context.Application.Uuid}/git-host-key).");
        }
    }

    /// <summary>A git command refused by ssh because the host's key is not the pinned one: the message says what to do.</summary>
    public static void ThrowIfHostKeyRefused(CommandResult result, string applicationUuid)
    {
        if (!result.Succeeded && result.StandardErrorTail.Any(l => HostKeyRefusals.Any(r => l.Contains(r, StringComparison.Ordinal))))
        {
            throw new DeploymentFailedException(
                "The git host presented an SSH host key other than the one pinned for this application on its first deployment: the host's key "
                + $"changed, or something is in between. Nothing was fetched. If the key really changed, reset it with DELETE /api/v1/applications/{applicationUuid}/git-host-key.");
        }
    }

    /// <summary><c>type SHA256:base64</c> of a known_hosts line (<c>host type key</c>), as ssh-keygen -l shows it.</summary>
    public static string Fingerprint(string knownHostsLine)
    {
        var parts = knownHostsLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            return "unreadable key";
        }

        try
        {
            var hash = SHA256.HashData(Convert.FromBase64String(parts[2]));
            return $"{parts[1]} SHA256:{Convert.ToBase64String(hash).TrimEnd('=')}";
        }
        catch (FormatException)
        {
            return parts[1];
        }
    }
}
