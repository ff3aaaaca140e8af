namespace Slipway.Core.Engine;

/// <summary>One named step of a deployment pipeline (STYLE #11).</summary>
public interface IDeploymentStep
{
    /// <summary>The header written to the log, e.g. <c>Building image</c>.</summary>
    string Title { get; }

    Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken);
}

/// <summary>A step that can undo itself when a later step fails (Kamal keeps the old container; so does Slipway).</summary>
public interface ICompensatingStep : IDeploymentStep
{
    Task CompensateAsync(DeploymentContext context, CancellationToken cancellationToken);
}
