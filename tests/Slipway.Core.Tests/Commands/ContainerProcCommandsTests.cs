using Slipway.Core.Commands;

namespace Slipway.Core.Tests.Commands;

public sealed class ContainerProcCommandsTests
{
    [Fact]
    public void SocketTables_ReadsTheInitsNetworkNamespace()
    {
        Assert.Equal("cat /proc/4321/net/tcp /proc/4321/net/tcp6", ContainerProcCommands.SocketTables(4321).ToDisplayString());
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
