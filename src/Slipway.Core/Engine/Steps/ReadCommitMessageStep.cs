using Slipway.Core.Commands;

namespace Slipway.Core.Engine.Steps;

/// <summary>Stores the commit message, then removes <c>.git</c> so the history never enters the image.</summary>
public sealed class ReadCommitMessageStep : IDeploymentStep
{
    public string Title => "Reading commit message";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunAsync(GitCommands.CommitMessage(context.SourceDir), cancellationToken, quiet: true);
        var message = string.Join('\n', result.StandardOutput).Trim();
        if (message.Length > 0)
        {
            await context.Store.SetCommitMessageAsync(context.Application.Id, context.Commit, message, cancellationToken);
            await context.Log.InfoAsync($"Commit message: {message.Split('\n')[0]}");
        }

        await context.Target.DeleteDirectoryAsync($"{context.SourceDir}/.git", cancellationToken);
    }
}
