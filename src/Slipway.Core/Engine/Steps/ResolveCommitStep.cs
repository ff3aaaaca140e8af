using Slipway.Core.Commands;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Resolves what to deploy: the branch head from <c>git ls-remote</c>, unless the deployment (or the
/// application) pins a commit, or it is a rollback. The SHA is stored in the deployment's <c>commit</c>.
/// </summary>
public sealed class ResolveCommitStep : IDeploymentStep
{
    public string Title => "Resolving commit";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var requested = context.Deployment.Commit;
        if (!string.IsNullOrEmpty(requested) && requested != "HEAD")
        {
            context.Commit = requested;
            await context.Log.InfoAsync($"Deploying the pinned commit {requested}.");
            return;
        }

        // A preview deploys the head of its pull request's ref, never the tracked branch.
        var pullRequest = context.Deployment.PullRequestId;
        var branch = context.Application.GitBranch!;
        var reference = pullRequest == 0 ? $"refs/heads/{branch}"
            : context.Work.Preview?.SourceRef
            ?? throw new DeploymentFailedException($"Pull request #{pullRequest} has no ref to deploy from (a fork on a provider without PR refs); deploy it from a webhook with its commit.");
        var lsRemote = GitCommands.LsRemote(context.Application.GitRepository!, reference, GitAccess.Environment(context));
        var result = await context.RunAsync(lsRemote, cancellationToken, throwOnFailure: false);
        GitAccess.ThrowIfHostKeyRefused(result, context.Application.Uuid);
        if (!result.Succeeded)
        {
            throw new CommandFailedException(lsRemote, result.ExitCode, result.StandardErrorTail);
        }

        await GitAccess.PinHostKeyAsync(context, cancellationToken);
        var sha = GitCommands.FindRef(result.StandardOutput, reference)
            ?? throw new DeploymentFailedException(pullRequest == 0
                ? $"Branch '{branch}' was not found in {context.Application.GitRepository}."
                : $"{reference} was not found in {context.Application.GitRepository}.");
        context.Commit = sha;
        await context.Store.SetCommitAsync(context.Deployment.Id, sha, cancellationToken);
        await context.Log.InfoAsync(pullRequest == 0 ? $"Branch {branch} is at {sha}." : $"Pull request #{pullRequest} ({reference}) is at {sha}.");
    }
}
