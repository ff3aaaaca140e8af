namespace Slipway.Core.Engine.Steps;

/// <summary>
/// Two steps that run at the same time under one header, so the runbook itself says what overlaps. Neither may be
/// a compensating step, and they write different parts of the context. The step ends when both have: a failure
/// of either is thrown once the other has finished, so nothing it started outlives it.
/// </summary>
public sealed class SideBySideStep : IDeploymentStep
{
    private readonly IDeploymentStep _main;
    private readonly IDeploymentStep _beside;

    public SideBySideStep(IDeploymentStep main, IDeploymentStep beside)
    {
        if (main is ICompensatingStep || beside is ICompensatingStep)
        {
            throw new ArgumentException("A step that can undo itself runs on its own.");
        }

        (_main, _beside) = (main, beside);
    }

    public string Title => $"{_main.Title} ({_beside.Title.ToLowerInvariant()} alongside)";

    public async Task ExecuteAsync(DeploymentContext context, CancellationToken cancellationToken)
    {
        var beside = _beside.ExecuteAsync(context, cancellationToken);
        var main = _main.ExecuteAsync(context, cancellationToken);
        await Task.WhenAll(main, beside);
    }
}
