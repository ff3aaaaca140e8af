using Slipway.Core.Execution;

namespace Slipway.IntegrationTests.Fixtures;

internal static class Events
{
    public static async Task<List<CommandEvent>> CollectAsync(this ICommandRunner runner, CommandSpec command, CancellationToken cancellationToken)
    {
        var events = new List<CommandEvent>();
        await foreach (var item in runner.StreamAsync(command, cancellationToken))
        {
            events.Add(item);
        }

        return events;
    }

    public static List<string> Lines(this IEnumerable<CommandEvent> events, OutputStream stream) =>
        events.OfType<OutputLine>().Where(l => l.Stream == stream).Select(l => l.Text).ToList();

    public static int ExitCode(this IEnumerable<CommandEvent> events) => Assert.IsType<CommandExited>(events.Last()).ExitCode;

    public static int ProcessId(this IEnumerable<CommandEvent> events) => Assert.IsType<CommandStarted>(events.First()).ProcessId!.Value;
}
