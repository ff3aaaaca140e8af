using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Shallow-clones the branch and checks out the exact commit. A commit that is not the branch head (a pinned
/// commit or a rollback) is fetched by SHA; when the server refuses that on a shallow clone, the history is
/// fetched in full — Coolify's rollbacks fail with "bad object" here. A preview's commit that the server will
/// not send by SHA is fetched through the pull request's ref (<c>refs/pull/N/head</c> or its source branch).
/// </summary>
public sealed class CloneRepositoryStep : IDeploymentStep
{
    public string Title => "Cloning repository";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var environment = GitAccess.Environment(context);
        var shallow = app.IsGitShallowCloneEnabled;
        await context.Log.InfoAsync($"Importing {app.GitRepository}:{app.GitBranch} (commit {context.Commit}).");
        var clone = GitCommands.CloneBranch(app.GitRepository!, app.GitBranch!, context.SourceDir, shallow, app.IsGitSubmodulesEnabled, environment);
        var cloned = await context.RunAsync(clone, cancellationToken, throwOnFailure: false);
        GitAccess.ThrowIfHostKeyRefused(cloned, app.Uuid);
        if (!cloned.Succeeded)
        {
            throw new CommandFailedException(clone, cloned.ExitCode, cloned.StandardErrorTail);
        }

        // A pinned commit skips ls-remote: then the clone is the first time git reached the host.
        await GitAccess.PinHostKeyAsync(context, cancellationToken);

        var head = (await context.RunAsync(GitCommands.Head(context.SourceDir), cancellationToken, quiet: true)).Output.Trim();
        if (head != context.Commit)
        {
            var fetched = await context.RunAsync(GitCommands.Fetch(context.SourceDir, context.Commit, shallow, environment), cancellationToken, throwOnFailure: false);
            if (!fetched.Succeeded && context.Deployment.PullRequestId != 0 && context.Work.Preview?.SourceRef is { } sourceRef)
            {
                // A PR commit is on no branch of the clone; servers that refuse a bare SHA (or an abbreviated one,
                // as Bitbucket sends) still serve the ref that holds the pull request's commits.
                await context.Log.InfoAsync($"The server would not send that commit alone; fetching the pull request's {sourceRef}.");
                fetched = await context.RunAsync(GitCommands.Fetch(context.SourceDir, sourceRef, shallow, environment), cancellationToken, throwOnFailure: false);
            }

            if (!fetched.Succeeded && shallow)
            {
                await context.Log.InfoAsync("The server would not send that commit alone; fetching the full history.");
                await context.RunAsync(GitCommands.Unshallow(context.SourceDir, environment), cancellationToken);
            }
            else if (!fetched.Succeeded)
            {
                throw new DeploymentFailedException($"Commit {context.Commit} could not be fetched from {app.GitRepository}.");
            }

            await context.RunAsync(GitCommands.Checkout(context.SourceDir, context.Commit, environment), cancellationToken);
            if (app.IsGitSubmodulesEnabled)
            {
                await context.RunAsync(GitCommands.SubmoduleUpdate(context.SourceDir, shallow, environment), cancellationToken);
            }
        }

        if (app.IsGitLfsEnabled)
        {
            await PullLfsAsync(context, environment, cancellationToken);
        }

        if (GitAccess.NeedsSshDirectory(app.GitRepository, context.Work.DeployKey))
        {
            await context.Target.DeleteDirectoryAsync(GitAccess.KeyDirectory(context), cancellationToken);
        }
    }

    /// <summary>
    /// <c>is_git_lfs_enabled</c> (Coolify's default on): <c>git lfs pull</c> when the checkout has LFS files. A repository
    /// without any needs no git-lfs on the server; one with them fails clearly when the server lacks it.
    /// </summary>
    private static async Task PullLfsAsync(DeploymentContext context, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var files = await context.RunAsync(GitCommands.LfsFiles(context.SourceDir), cancellationToken, throwOnFailure: false, quiet: true);
        if (!files.Succeeded || files.StandardOutput.All(string.IsNullOrWhiteSpace))
        {
            return;
        }

        await context.Log.InfoAsync($"The repository stores {files.StandardOutput.Count(l => l.Length > 0)} file(s) in Git LFS: pulling them (is_git_lfs_enabled).");
        var installed = await context.RunAsync(GitCommands.LfsInstall(context.SourceDir, environment), cancellationToken, throwOnFailure: false, quiet: true);
        var pulled = installed.Succeeded ? await context.RunAsync(GitCommands.LfsPull(context.SourceDir, environment), cancellationToken, throwOnFailure: false) : installed;
        if (!pulled.Succeeded)
        {
            throw new DeploymentFailedException(
                $"git lfs pull failed (exit code {pulled.ExitCode}): {string.Join(" ", pulled.StandardErrorTail).Trim()} Is git-lfs installed on {context.Target.Description}? (Or turn is_git_lfs_enabled off.)");
        }
    }
}
