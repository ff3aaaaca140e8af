using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Validation;

/// <summary>The run-options allow-list keeps only what cannot reach the host (issue 10, item 1).</summary>
public sealed class DockerRunOptionsTests
{
    [Theory]
    [InlineData("--network bridge", false, true)]
    [InlineData("--network=bridge --memory 64m", false, true)]
    [InlineData("--network bridge", true, false)]
    [InlineData("--network bridge", null, false)]
    [InlineData("--network slipway", false, false)]
    [InlineData("--memory 64m", false, false)]
    public void CheckBridgeNetwork_RefusedOnlyWhereTheProbeFoundNoDefaultBridge(string options, bool? defaultBridge, bool refused) =>
        Assert.Equal(refused, DockerRunOptions.CheckBridgeNetwork(options, defaultBridge) is not null);

    [Theory]
    [InlineData("--privileged", "--privileged")]
    [InlineData("--pid host", "--pid")]
    [InlineData("--pid=host", "--pid")]
    [InlineData("-v /:/host", "-v")]
    [InlineData("--volume /:/host", "--volume")]
    [InlineData("--mount type=bind,source=/,target=/host", "--mount")]
    [InlineData("--device /dev/sda", "--device")]
    [InlineData("--sysctl net.ipv4.ip_forward=1", "--sysctl")]
    [InlineData("--userns host", "--userns")]
    [InlineData("--cgroupns host", "--cgroupns")]
    [InlineData("--ipc host", "--ipc")]
    [InlineData("--uts host", "--uts")]
    [InlineData("--net host", "--net")]
    [InlineData("--volumes-from other", "--volumes-from")]
    [InlineData("--cgroup-parent /", "--cgroup-parent")]
    public void TryParse_OptionThatReachesTheHost_IsRefusedByName(string value, string option)
    {
        Assert.False(DockerRunOptions.TryParse(value, out _, out var error));
        Assert.Contains($"'{option}' is not supported", error, StringComparison.Ordinal);
        Assert.Contains("supported: --network", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cap-drop 'ALL'", "a capability name such as NET_RAW")]
    [InlineData("--ulimit nofile", "name=soft[:hard]")]
    [InlineData("--memory 1t", "a size: up to 15 digits with an optional unit b, k, m or g")]
    [InlineData("--memory-swap -2", "a size: up to 15 digits with an optional unit b, k, m or g, such as 1g, or -1 (unlimited)")]
    [InlineData("--memory-reservation $(id)", "a size: up to 15 digits")]
    [InlineData("--shm-size 64M;id", "a size: up to 15 digits")]
    [InlineData("--cpus 1.2345", "a number of CPUs with up to 3 decimals")]
    [InlineData("--pids-limit 1e3", "an integer of up to 9 digits")]
    [InlineData("--memory", "a size: up to 15 digits")]
    public void TryParse_BadValueOfAnAllowedOption_SaysWhatTheOptionTakes(string value, string allowed)
    {
        Assert.False(DockerRunOptions.TryParse(value, out _, out var error));
        Assert.Contains($"The value of the docker run option {value.Split(' ')[0]} is not valid; it takes {allowed}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_EveryAllowedOptionsBadValue_IsRefusedWithWhatIsAllowed()
    {
        foreach (var option in DockerRunOptions.Supported)
        {
            Assert.False(DockerRunOptions.TryParse($"{option} $(id)", out _, out var error));
            Assert.Matches(@"(; it takes |; it may add back only |; only no-new-privileges is| must be one of )\S", error);
        }
    }

    [Fact]
    public void TryParse_TooLong_SaysTheLimit()
    {
        Assert.False(DockerRunOptions.TryParse(string.Join(' ', Enumerable.Repeat("--memory 1g", 100)), out _, out var error));
        Assert.Equal("The custom_docker_run_options are too long: at most 1024 characters.", error);
    }

    [Theory]
    [InlineData("ALL")]
    [InlineData("all")]
    [InlineData("SYS_ADMIN")]
    [InlineData("sys_admin")]
    [InlineData("CAP_SYS_ADMIN")]
    [InlineData("SYS_MODULE")]
    [InlineData("SYS_PTRACE")]
    [InlineData("DAC_READ_SEARCH")]
    [InlineData("NET_ADMIN")]
    [InlineData("BPF")]
    [InlineData("PERFMON")]
    [InlineData("SYS_RAWIO")]
    [InlineData("SYS_BOOT")]
    [InlineData("SYS_TIME")]
    [InlineData("SYSLOG")]
    [InlineData("MAC_ADMIN")]
    [InlineData("LINUX_IMMUTABLE")]
    public void TryParse_CapabilityBeyondDockersDefaults_IsRefusedWithTheAllowedList(string capability)
    {
        Assert.False(DockerRunOptions.TryParse($"--cap-add {capability}", out _, out var error));
        Assert.False(DockerRunOptions.TryParse($"--cap-add={capability}", out _, out _));
        Assert.Contains("Docker's default capabilities: AUDIT_WRITE, CHOWN", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cap-add chown", "CHOWN")]
    [InlineData("--cap-add CAP_NET_BIND_SERVICE", "NET_BIND_SERVICE")]
    [InlineData("--cap-add=KILL", "KILL")]
    public void TryParse_DefaultCapability_IsAcceptedInTheFormDockerIsGiven(string value, string passed)
    {
        Assert.True(DockerRunOptions.TryParse(value, out var options, out var error), error);
        Assert.Equal(new RunOption("--cap-add", passed), Assert.Single(options));
    }

    [Fact]
    public void TryParse_DropAllThenAddBackDefaults_IsAccepted()
    {
        Assert.True(DockerRunOptions.TryParse("--cap-drop ALL --cap-add CHOWN --cap-add SETUID --cap-add SETGID --security-opt no-new-privileges", out var options, out var error), error);
        Assert.Equal(5, options.Count);
    }

    [Theory]
    [InlineData("apparmor=unconfined")]
    [InlineData("seccomp=unconfined")]
    [InlineData("label=disable")]
    [InlineData("systempaths=unconfined")]
    [InlineData("no-new-privileges:false")]
    public void TryParse_SecurityOptOtherThanNoNewPrivileges_IsRefused(string value)
    {
        Assert.False(DockerRunOptions.TryParse($"--security-opt {value}", out _, out var error));
        Assert.Contains("only no-new-privileges", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8e9e")]
    [InlineData("container:abc")]
    [InlineData("my-network")]
    [InlineData("HOST")]
    public void TryParse_NetworkOtherThanTheKnownNames_IsRefused(string network)
    {
        // Docker resolves a network by any unique prefix of its id: "8e9e" may well be the host network.
        Assert.False(DockerRunOptions.TryParse($"--network {network}", out _, out var error));
        Assert.Contains("host, slipway, none, bridge", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NetworkTwice_IsRefused()
    {
        Assert.False(DockerRunOptions.TryParse("--network slipway --network=host", out _, out var error));
        Assert.Contains("--network may be given once", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--network host")]
    [InlineData("--network=host")]
    [InlineData("--memory 256m --network host")]
    public void CheckHostNetwork_ServerWithoutAllowHostNetwork_RefusesAndSaysWhatToDo(string value)
    {
        var error = DockerRunOptions.CheckHostNetwork(value, serverAllowsHostNetwork: false);

        Assert.Contains("allow_host_network", error, StringComparison.Ordinal);
        Assert.Contains("ports_mappings", error, StringComparison.Ordinal);
        Assert.Null(DockerRunOptions.CheckHostNetwork(value, serverAllowsHostNetwork: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("--network slipway")]
    [InlineData("--network none --memory 64m")]
    public void CheckHostNetwork_NoHostNetwork_IsFineAnywhere(string? value) =>
        Assert.Null(DockerRunOptions.CheckHostNetwork(value, serverAllowsHostNetwork: false));
}
