using Slipway.Core.Execution;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Fakes.FakeCommandRunner;

namespace Slipway.Core.Tests.Execution;

/// <summary>What a command run to completion keeps of its output, and what it hands on as it comes.</summary>
public sealed class CommandRunnerExtensionsTests
{
    [Fact]
    public async Task RunAsync_LongOutput_StreamsEveryLine_ButKeepsOnlyTheFirstLinesInTheResult()
    {
        var total = CommandRunnerExtensions.MaxKeptOutputLines + 2_500;
        var runner = new FakeCommandRunner().When(Starts("docker", "build"), 0, Enumerable.Range(1, total).Select(i => $"line {i}").ToArray());
        var streamed = 0;

        var result = await runner.RunAsync(CommandSpec.Of("docker", "build", "."), e =>
        {
            if (e is OutputLine)
            {
                streamed++;
            }

            return ValueTask.CompletedTask;
        }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(total, streamed);
        Assert.Equal(CommandRunnerExtensions.MaxKeptOutputLines, result.StandardOutput.Count);
        Assert.Equal("line 1", result.StandardOutput[0]);
        Assert.True(result.StandardOutputTruncated);
    }

    [Fact]
    public async Task RunAsync_ShortOutput_KeepsAllOfIt()
    {
        var runner = new FakeCommandRunner().When(Starts("git", "ls-remote"), 0, "abc\trefs/heads/main", "def\trefs/heads/dev");

        var result = await runner.RunAsync(CommandSpec.Of("git", "ls-remote"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["abc\trefs/heads/main", "def\trefs/heads/dev"], result.StandardOutput);
        Assert.False(result.StandardOutputTruncated);
    }
}
