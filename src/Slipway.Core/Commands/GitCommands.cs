using Slipway.Core.Execution;

namespace Slipway.Core.Commands;

/// <summary>
/// Renders git commands. Repository URLs and refs have passed the allow-lists before they get here, and a
/// <c>--</c> always separates options from the repository so even a hostile value could not become an option.
/// </summary>
public static class GitCommands
{
    /// <summary>git never prompts (it would hang a deployment) and ignores the host's user config.</summary>
    public static Dictionary<string, string> BaseEnvironment(string? sshCommand)
    {
        var environment = new Dictionary<string, string>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_ASKPASS"] = "/bin/true",
        };
        if (sshCommand is not null)
        {
            environment["GIT_SSH_COMMAND"] = sshCommand;
        }

        return environment;
    }

    public static CommandSpec LsRemote(string repository, string reference, IReadOnlyDictionary<string, string> environment) =>
        new("git", ["ls-remote", "--", repository, reference], environment);

    /// <summary>The full SHA <c>git ls-remote</c> printed for exactly <paramref name="reference"/>, or null when it printed none.</summary>
    public static string? FindRef(IEnumerable<string> lsRemoteOutput, string reference) =>
        lsRemoteOutput
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2 && parts[1] == reference && Validation.GitRules.IsFullSha(parts[0]))
            .Select(parts => parts[0])
            .FirstOrDefault();

    public static CommandSpec CloneBranch(string repository, string branch, string directory, bool shallow, bool submodules, IReadOnlyDictionary<string, string> environment)
    {
        var args = new List<CommandArg> { "-c", "advice.detachedHead=false", "clone", "--branch", branch, "--single-branch" };
        if (shallow)
        {
            args.Add("--depth");
            args.Add("1");
        }

        if (submodules)
        {
            args.Add("--recurse-submodules");
            if (shallow)
            {
                args.Add("--shallow-submodules");
            }
        }

        args.AddRange(["--", repository, directory]);
        return new CommandSpec("git", args, environment);
    }

    /// <summary>
    /// Fetches a commit, or a ref such as a pull request's <c>refs/pull/N/head</c> (validated by the caller), into
    /// <c>FETCH_HEAD</c>.
    /// </summary>
    public static CommandSpec Fetch(string directory, string commitOrRef, bool shallow, IReadOnlyDictionary<string, string> environment) =>
        shallow
            ? new CommandSpec("git", ["-C", directory, "fetch", "--depth", "1", "origin", commitOrRef], environment)
            : new CommandSpec("git", ["-C", directory, "fetch", "origin", commitOrRef], environment);

    public static CommandSpec Unshallow(string directory, IReadOnlyDictionary<string, string> environment) =>
        new("git", ["-C", directory, "fetch", "--unshallow", "origin"], environment);

    public static CommandSpec Checkout(string directory, string commit, IReadOnlyDictionary<string, string> environment) =>
        new("git", ["-C", directory, "-c", "advice.detachedHead=false", "checkout", "--detach", commit], environment);

    public static CommandSpec SubmoduleUpdate(string directory, bool shallow, IReadOnlyDictionary<string, string> environment) =>
        shallow
            ? new CommandSpec("git", ["-C", directory, "submodule", "update", "--init", "--recursive", "--depth", "1"], environment)
            : new CommandSpec("git", ["-C", directory, "submodule", "update", "--init", "--recursive"], environment);

    /// <summary>The checkout's files stored in Git LFS (those with the <c>filter=lfs</c> attribute); git-lfs itself is not needed to list them.</summary>
    public static CommandSpec LfsFiles(string directory) => CommandSpec.Of("git", "-C", directory, "ls-files", "--", ":(attr:filter=lfs)");

    /// <summary>
    /// Installs git-lfs's filter in the checkout's own config (<c>--local</c>): git runs with <c>GIT_CONFIG_NOSYSTEM</c>, so
    /// a system-wide install is not seen, and without the filter <c>git lfs pull</c> downloads but does not check out.
    /// </summary>
    public static CommandSpec LfsInstall(string directory, IReadOnlyDictionary<string, string> environment) =>
        new("git", ["-C", directory, "lfs", "install", "--local"], environment);

    /// <summary>Downloads the checkout's LFS files and replaces their pointers (<c>is_git_lfs_enabled</c>).</summary>
    public static CommandSpec LfsPull(string directory, IReadOnlyDictionary<string, string> environment) =>
        new("git", ["-C", directory, "lfs", "pull"], environment);

    public static CommandSpec Head(string directory) => CommandSpec.Of("git", "-C", directory, "rev-parse", "HEAD");

    public static CommandSpec CommitMessage(string directory) => CommandSpec.Of("git", "-C", directory, "log", "-1", "--pretty=%B");
}
