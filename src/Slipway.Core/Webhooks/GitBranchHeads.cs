using Slipway.Core.Commands;
using Slipway.Core.Common;
using Slipway.Core.Engine.Steps;
using Slipway.Core.Execution;
using Slipway.Core.Settings;
using Slipway.Core.Validation;

namespace Slipway.Core.Webhooks;

/// <summary>
/// <see cref="IBranchHeads"/> with <c>git ls-remote</c>, run on the application's own server exactly as its deployments
/// reach the repository (same command rendering, runner, deploy key and pinned host key), after the stored values
/// pass the allow-lists again.
/// </summary>
public sealed class GitBranchHeads(IExecutionTargets targets, InstanceSettings settings) : IBranchHeads
{
    public async Task<BranchHeadCheck> CheckAsync(BranchHeadQuery query, string commit, CancellationToken cancellationToken)
    {
        if ((RepositoryRules.Check(query.Repository, settings.AllowLocalRepositories) ?? GitRules.CheckBranch(query.Branch)) is { } problem)
        {
            throw new InvalidOperationException($"The application's repository settings are not valid: {problem}");
        }

        var target = await targets.GetAsync(query.Server, cancellationToken);
        var reference = $"refs/heads/{query.Branch}";
        var ssh = GitAccess.NeedsSshDirectory(query.Repository, query.DeployKey);
        var directory = $"{target.WorkRoot}/webhook-{PublicId.New()}";
        try
        {
            if (ssh)
            {
                await GitAccess.PrepareAsync(target, directory, query.DeployKey, query.PinnedHostKeys, cancellationToken);
            }

            var environment = GitAccess.Environment(directory, query.DeployKey is not null, query.Repository, query.PinnedHostKeys);
            var result = await target.Runner.RunAsync(GitCommands.LsRemote(query.Repository, reference, environment), cancellationToken: cancellationToken);
            return BranchHeadCheck.Of(GitCommands.FindRef(result.StandardOutput, reference), commit);
        }
        finally
        {
            if (ssh)
            {
                await target.DeleteDirectoryAsync(directory, CancellationToken.None);
            }
        }
    }
}
