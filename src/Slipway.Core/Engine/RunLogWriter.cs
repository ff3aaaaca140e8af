using Slipway.Core.Deployments;
using Slipway.Core.Execution;

namespace Slipway.Core.Engine;

/// <summary>
/// The writer a run uses for its log (over the <see cref="IDeploymentLogStore"/>), with Dokku's vocabulary:
/// <c>-----&gt; Step</c> headers, the commands being run, their output line by line as it arrives, and hidden debug lines. Every command gets its own batch number, so
/// clients can group its output under one header as Coolify's UI does.
/// </summary>
public sealed class RunLogWriter(IDeploymentLogStore log, long deploymentId)
{
    private int _batch;

    public long DeploymentId => deploymentId;

    public ValueTask StepAsync(string title) => AppendAsync(LogLine.Info($"-----> {title}"));

    public ValueTask InfoAsync(string text) => AppendAsync(LogLine.Info(text));

    public ValueTask ErrorAsync(string text) => AppendAsync(LogLine.Error(text));

    public ValueTask DebugAsync(string text) => AppendAsync(LogLine.Info(text, hidden: true));

    /// <summary>
    /// Runs a command with its output streamed into the log. <paramref name="quiet"/> commands (state polls,
    /// inspections) are logged as hidden debug lines.
    /// </summary>
    public async Task<CommandResult> RunAsync(
        ICommandRunner runner,
        CommandSpec command,
        CancellationToken cancellationToken,
        bool throwOnFailure = true,
        bool quiet = false,
        Func<int?, Task>? onStarted = null)
    {
        var batch = Interlocked.Increment(ref _batch);
        var display = command.ToDisplayString();
        await AppendAsync(new LogLine($"$ {display}", LogLine.Stdout, display, quiet, batch));
        return await runner.RunAsync(command, async e =>
        {
            switch (e)
            {
                case OutputLine line:
                    var type = line.Stream == OutputStream.StandardError ? LogLine.Stderr : LogLine.Stdout;
                    await AppendAsync(new LogLine(line.Text, type, display, quiet, batch));
                    break;
                case CommandStarted started when onStarted is not null:
                    await onStarted(started.ProcessId);
                    break;
            }
        }, throwOnFailure, cancellationToken);
    }

    public Task FlushAsync(CancellationToken cancellationToken) => log.FlushAsync(deploymentId, cancellationToken);

    // Log writes must not be cut short by the deployment's own cancellation: the reason has to be recorded.
    private ValueTask AppendAsync(LogLine line) => log.AppendAsync(deploymentId, [line], CancellationToken.None);
}
