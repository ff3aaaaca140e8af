namespace Slipway.Core.Engine.Steps;

/// <summary>Creates the run's work directory and writes the deploy key (0600) when the repository needs one.</summary>
public sealed class PrepareWorkspaceStep : IDeploymentStep
{
    public string Title => "Preparing work directory";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        await context.Target.DeleteDirectoryAsync(context.WorkDir, cancellationToken);
        await context.Target.CreateDirectoryAsync(context.WorkDir, cancellationToken);
        await context.Log.InfoAsync($"Work directory {context.WorkDir} on {context.Target.Description}.");
        if (context.Work.DeployKey is { } key)
        {
            await context.Target.CreateDirectoryAsync(GitAccess.KeyDirectory(context), cancellationToken);
            await context.Target.WritePrivateFileAsync(GitAccess.KeyPath(context), key.EndsWith('\n') ? key : key + "\n", cancellationToken);
            await context.Log.InfoAsync("Deploy key written for the clone (mode 0600; removed right after).");
        }
    }
}
