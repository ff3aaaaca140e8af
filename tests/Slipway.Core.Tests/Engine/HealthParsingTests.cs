using Slipway.Core.Engine;
using Slipway.Core.Engine.Health;

namespace Slipway.Core.Tests.Engine;

public sealed class HealthParsingTests
{
    [Fact]
    public void ListeningInodes_FindsOnlyListenStateOnThePort()
    {
        string[] lines =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 43210 1 0000000000000000 100 0 0 10 0",
            "   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 43999 1 0000000000000000 100 0 0 10 0",
            "   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11111 1 0000000000000000 100 0 0 10 0",
        ];

        Assert.Equal(["43210"], PortOwnership.ListeningInodes(lines, 8080).ToArray());
    }

    [Fact]
    public void PortOwnership_HoldsAny_MatchesSocketLinksAsFindAndLsPrintThem()
    {
        var listening = new HashSet<string> { "1309958" };

        Assert.True(PortOwnership.HoldsAny(["socket:[11]", "socket:[1309958]"], listening));
        Assert.True(PortOwnership.HoldsAny(["lrwx------ 1 root root 64 Nov 28 17:20 3 -> socket:[1309958]"], listening));
        Assert.False(PortOwnership.HoldsAny(["socket:[13099580]", "pipe:[1309958]"], listening));
        Assert.False(PortOwnership.HoldsAny(["socket:[1309958]"], new HashSet<string>()));
    }

    [Fact]
    public void ContainerState_Parse_ReadsStateNetworkAddressesAndImageHealthCheck()
    {
        const string output = "{\"Status\":\"running\",\"Running\":true,\"Pid\":42,\"ExitCode\":0,\"Health\":{\"Status\":\"starting\"}}\tbridge\t172.17.0.2 \t{\"Test\":[\"CMD-SHELL\",\"true\"]}";

        var state = ContainerState.Parse(output)!;

        Assert.Equal(("running", true, 42, "starting", true, "bridge"), (state.Status, state.Running, state.Pid, state.HealthStatus, state.ImageHasHealthCheck, state.NetworkMode));
        Assert.Equal(["172.17.0.2"], state.Addresses);
    }

    [Fact]
    public void ContainerState_Parse_HealthCheckNoneIsNotACheck()
    {
        const string output = "{\"Status\":\"exited\",\"Running\":false,\"Pid\":0,\"ExitCode\":3}\thost\t\t{\"Test\":[\"NONE\"]}";

        var state = ContainerState.Parse(output)!;

        Assert.False(state.ImageHasHealthCheck);
        Assert.True(state.HasEnded);
        Assert.Empty(state.Addresses);
    }

    [Theory]
    [InlineData("2026-11-28 13:25:26 +0000 UTC", "2026-11-28T13:25:26")]
    [InlineData("2026-11-28 15:25:26 +0200 EET", "2026-11-28T13:25:26")]
    [InlineData("garbage", "0001-01-01T00:00:00")]
    public void ImageHistory_ParseCreated_ConvertsDockersFormatToUtc(string value, string expected)
    {
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ImageHistory.ParseCreated(value));
    }
}
