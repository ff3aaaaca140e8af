using System.Runtime.CompilerServices;
using Slipway.Core.Execution;
using Slipway.Core.Servers;

namespace Slipway.Bench.NoopServe;

/// <summary>
/// Every server is a machine where each command succeeds at once and prints nothing, except <c>docker inspect</c>,
/// which reports a running container on host networking without a health check, and <c>docker run</c>, which
/// takes <c>work</c> (the stand-in for a deployment's real work; zero by default). Files are not written.
/// </summary>
internal sealed class NoopTargets(TimeSpan work) : IExecutionTargets
{
    private readonly NoopTarget _target = new(new NoopRunner(work));

    public Task<IExecutionTarget> GetAsync(Server server, CancellationToken cancellationToken) => Task.FromResult<IExecutionTarget>(_target);

    private sealed class NoopTarget(ICommandRunner runner) : IExecutionTarget
    {
        public string Description => "no-op target";

        public ICommandRunner Runner => runner;

        public string WorkRoot => "/nonexistent/slipway-bench";

        public Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoopRunner(TimeSpan work) : ICommandRunner
    {
        private const string RunningContainer =
            "{\"Status\":\"running\",\"Running\":true,\"Pid\":1,\"ExitCode\":0}\thost\t\tnull";

        public async IAsyncEnumerable<CommandEvent> StreamAsync(CommandSpec command, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CommandStarted(null);
            var verb = command.Program == "docker" && command.Arguments.Count > 0 ? command.Arguments[0].Value : null;
            if (verb == "network" && command.Arguments.Count > 1 && command.Arguments[1].Value == "inspect")
            {
                // The engine's own network exists, as a bridge (the engine checks its driver before running anything).
                yield return new OutputLine(OutputStream.StandardOutput, "bridge");
            }
            else if (verb == "inspect")
            {
                yield return new OutputLine(OutputStream.StandardOutput, RunningContainer);
            }
            else if (verb == "run" && work > TimeSpan.Zero)
            {
                await Task.Delay(work, cancellationToken);
            }

            yield return new CommandExited(0);
        }
    }
}
