namespace Slipway.Core.Engine.Steps;

/// <summary>
/// <c>post_deployment_command</c>: run in the new container once it serves (the old one retired, the proxy routing to
/// it). As in Coolify, a failure is logged and the deployment stays <c>finished</c>; a cancel stops the command.
/// </summary>
public sealed class PostDeploymentCommandStep : IDeploymentStep
{
    public string Title => "Running the post-deployment command";

    public static bool Applies(DeploymentContext context) => !string.IsNullOrEmpty(context.Application.PostDeploymentCommand);

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var app = context.Application;
        var container = context.NewContainer!;
        await PreDeploymentCommandStep.LogContainerFieldAsync(context, "post_deployment_command_container", app.PostDeploymentCommandContainer);
        await context.Log.InfoAsync($"Running the post-deployment command in {container}.");
        var failure = await ReleaseCommand.RunAsync(context, container, "post", app.PostDeploymentCommand!, cancellationToken);
        if (failure is null)
        {
            await context.Log.InfoAsync("The post-deployment command succeeded.");
            return;
        }

        await context.Log.ErrorAsync($"Post-deployment command failed ({failure}); the deployment stays finished, the new container keeps serving.");
    }
}
