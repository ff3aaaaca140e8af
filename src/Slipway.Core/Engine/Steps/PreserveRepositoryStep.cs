using Slipway.Core.Execution;

namespace Slipway.Core.Engine.Steps;

/// <summary>
/// <c>is_preserve_repository_enabled</c>: the checkout is kept on the server after the build, at
/// <c>{work root}/applications/{uuid}</c> (a preview's at <c>…/{uuid}-pr-{N}</c>), replacing the previous deployment's,
/// instead of being removed with the run's work directory.
/// </summary>
public sealed class PreserveRepositoryStep : IDeploymentStep
{
    public string Title => "Preserving the repository";

    public static bool Applies(DeploymentContext context) => context.Application.IsPreserveRepositoryEnabled;

    public static string Directory(DeploymentContext context) => $"{context.Target.WorkRoot}/applications/{context.ImageRepository}";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var destination = Directory(context);
        await context.Target.CreateDirectoryAsync($"{context.Target.WorkRoot}/applications", cancellationToken);
        await context.Target.DeleteDirectoryAsync(destination, cancellationToken);
        await context.RunAsync(CommandSpec.Of("mv", "--", context.SourceDir, destination), cancellationToken);
        await context.Log.InfoAsync($"Kept the repository at commit {context.Commit} in {destination} on {context.Target.Description} (is_preserve_repository_enabled).");
    }
}
