using System.Runtime.CompilerServices;
using Slipway.Core.Commands;
using Slipway.Core.Engine;
using Slipway.Core.Execution;

namespace Slipway.Core.Tests.Fakes;

/// <summary>
/// Records every command and answers from a small script (first matching rule wins; default: exit 0, no output).
/// Kamal's printer backend plus stubs, typed.
/// </summary>
public sealed class FakeCommandRunner : ICommandRunner
{
    private readonly List<(Func<CommandSpec, bool> Match, Func<CommandSpec, (int Exit, string[] Out)> Answer)> _rules = [];

    public List<CommandSpec> Commands { get; } = [];

    public IEnumerable<string> Rendered => Commands.Select(c => c.ToDisplayString());

    /// <summary>What <c>docker ps</c> of an application's containers (<see cref="DockerCommands.ListContainers"/>) answers, unless a rule does.</summary>
    public IReadOnlyList<ContainerInfo> ListedContainers { get; set; } = [];

    public FakeCommandRunner When(Func<CommandSpec, bool> match, int exitCode = 0, params string[] output)
    {
        _rules.Add((match, _ => (exitCode, output)));
        return this;
    }

    public FakeCommandRunner When(Func<CommandSpec, bool> match, Func<CommandSpec, (int Exit, string[] Out)> answer)
    {
        _rules.Add((match, answer));
        return this;
    }

    public static Func<CommandSpec, bool> Starts(string program, params string[] arguments) =>
        spec => spec.Program == program && spec.Arguments.Count >= arguments.Length
            && arguments.Select((a, i) => spec.Arguments[i].Value == a).All(x => x);

    public async IAsyncEnumerable<CommandEvent> StreamAsync(CommandSpec command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Commands)
        {
            // The gather step's lookups run side by side: two may arrive at once.
            Commands.Add(command);
        }

        var (exit, output) = _rules.FirstOrDefault(r => r.Match(command)).Answer?.Invoke(command)
            ?? (IsContainerListing(command) ? (0, ListedContainers.Select(c => $"{c.Name}\t{c.State}\t{c.Image}\t{c.DeploymentUuid}\t2026-11-28 10:00:00 +0000 UTC").ToArray()) : (0, []));
        yield return new CommandStarted(4242);
        foreach (var line in output)
        {
            await Task.Yield();
            yield return new OutputLine(OutputStream.StandardOutput, line);
        }

        yield return new CommandExited(exit);
    }

    private static bool IsContainerListing(CommandSpec command) =>
        Starts("docker", "ps", "-a")(command) && command.Arguments.Any(a => a.Value.StartsWith($"label={DockerCommands.PullRequestLabel}=", StringComparison.Ordinal));
}
