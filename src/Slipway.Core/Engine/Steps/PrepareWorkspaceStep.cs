namespace Slipway.Core.Engine.Steps;

/// <summary>Creates the run's work directory and, for git over SSH, the deploy key and the pinned git host key (0600).</summary>
public sealed class PrepareWorkspaceStep : IDeploymentStep
{
    public string Title => "Preparing work directory";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        await context.Target.DeleteDirectoryAsync(context.WorkDir, cancellationToken);
        await context.Target.CreateDirectoryAsync(context.WorkDir, cancellationToken);
        await context.Log.InfoAsync($"Work directory {context.WorkDir} on {context.Target.Description}.");
        if (GitAccess.NeedsSshDirectory(context.Application.GitRepository, context.Work.DeployKey))
        {
            await GitAccess.PrepareAsync(context.Target, GitAccess.KeyDirectory(context), context.Work.DeployKey, context.Application.GitHostKeys, cancellationToken);
            var pinned = string.IsNullOrWhiteSpace(context.Application.GitHostKeys) ? "none yet, the first key seen is pinned" : "pinned";
            await context.Log.InfoAsync(context.Work.DeployKey is null
                ? $"SSH files written for the clone (git host key: {pinned})."
                : $"Deploy key written for the clone (mode 0600; removed right after; git host key: {pinned}).");
        }
    }
}
