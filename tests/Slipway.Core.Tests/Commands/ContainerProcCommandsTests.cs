using Slipway.Core.Commands;

namespace Slipway.Core.Tests.Commands;

public sealed class ContainerProcCommandsTests
{
    [Fact]
    public void ListeningSockets_ReadsTheInitsNetworkNamespace_ForThePortInHex()
    {
        Assert.Equal("grep -h -E '^ *[0-9]+: [0-9A-F]+:1F90 [0-9A-F]+:[0-9A-F]+ 0A ' /proc/4321/net/tcp /proc/4321/net/tcp6",
            ContainerProcCommands.ListeningSockets(4321, 8080).ToDisplayString());
    }

    [Fact]
    public void Sockets_WalksOnlyTheNumberedDirectoriesOfTheContainersProc()
    {
        var arguments = ContainerProcCommands.Sockets(4321).Arguments.Select(a => a.Value);

        Assert.Equal(
            ["/proc/4321/root/proc", "-maxdepth", "3", "(", "-path", "/proc/4321/root/proc/[!0-9]*", "-prune", ")", "-o",
             "(", "-path", "/proc/4321/root/proc/[0-9]*/fd/*", "-lname", "socket:*", "-printf", "%l\\n", ")"],
            arguments);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Sockets_WithoutARunningPid_Throws(int pid)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ContainerProcCommands.Sockets(pid));
    }
}
