using Slipway.Core.Applications;
using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Validation;

/// <summary>The allow-lists of issue 14's runtime fields, labels and command health check.</summary>
public sealed class RuntimeRulesTests
{
    [Theory]
    [InlineData("pg_isready -U postgres")]
    [InlineData("curl -f http://localhost:8080/health")]
    [InlineData("redis-cli ping")]
    [InlineData("wget -q -O /dev/null http://127.0.0.1:80/")]
    public void CheckCommand_CoolifysAllowedCommands_Pass(string command) => Assert.Null(HealthCheckRules.CheckCommand(command));

    [Theory]
    [InlineData("curl localhost | sh")]
    [InlineData("echo ok\nrm -rf /")]
    [InlineData("test -f /ok; id")]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("true && id")]
    [InlineData("echo 'x'")]
    [InlineData("cat /etc/passwd > /tmp/x")]
    [InlineData("   ")]
    public void CheckCommand_ShellSyntax_IsRefused(string command) =>
        Assert.StartsWith("The health_check_command must be", HealthCheckRules.CheckCommand(command), StringComparison.Ordinal);

    [Fact]
    public void CheckCommand_LongerThanCoolifysLimit_IsRefused() => Assert.NotNull(HealthCheckRules.CheckCommand(new string('a', 1001)));

    [Theory]
    [InlineData("0", null)]
    [InlineData("0-3", null)]
    [InlineData("0,2,4-5", null)]
    [InlineData("3-1", "ascending")]
    [InlineData("0-1; id", "CPU numbers")]
    [InlineData("--privileged", "CPU numbers")]
    public void CheckCpuset_AllowsCpuNumbersAndAscendingRanges(string value, string? error)
    {
        var problem = RuntimeRules.CheckCpuset(value);
        Assert.True(error is null ? problem is null : problem?.Contains(error, StringComparison.Ordinal) == true, problem);
    }

    [Theory]
    [InlineData("api", null)]
    [InlineData("my_app.v2-blue", null)]
    [InlineData("-privileged", "1-63 letters")]
    [InlineData("a b", "1-63 letters")]
    [InlineData("x;id", "1-63 letters")]
    [InlineData("slipway-proxy", "must not start with 'slipway'")]
    [InlineData("SlipWay", "must not start with 'slipway'")]
    public void CheckContainerName_IsDockersCharactersAndNeverSlipways(string value, string? error)
    {
        var problem = RuntimeRules.CheckContainerName(value);
        Assert.True(error is null ? problem is null : problem?.Contains(error, StringComparison.Ordinal) == true, problem);
        Assert.NotNull(RuntimeRules.CheckContainerName(new string('a', 64)));
    }

    [Theory]
    [InlineData("0", "1g", "0", "limits_memory_swap")]
    [InlineData("512m", "256m", "0", "limits_memory_swap")]
    [InlineData("512m", "-1", "1g", "limits_memory_reservation")]
    public void CheckMemoryLimits_DockersRulesBetweenThem_NameTheField(string memory, string swap, string reservation, string field)
    {
        var app = new Application { Uuid = "u", Name = "n", LimitsMemory = memory, LimitsMemorySwap = swap, LimitsMemoryReservation = reservation };

        Assert.Equal(field, Assert.Single(RuntimeRules.CheckMemoryLimits(app)).Field);
    }

    [Fact]
    public void CheckMemoryLimits_ConsistentLimits_Pass()
    {
        var app = new Application { Uuid = "u", Name = "n", LimitsMemory = "512m", LimitsMemorySwap = "1g", LimitsMemoryReservation = "256m" };

        Assert.Empty(RuntimeRules.CheckMemoryLimits(app));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void CheckSwappiness_OutsideZeroToHundred_IsRefused(int value) => Assert.NotNull(RuntimeRules.CheckSwappiness(value));

    [Theory]
    [InlineData(1)]
    [InlineData(262145)]
    public void CheckCpuShares_OutsideDockersRange_IsRefused(int value) => Assert.NotNull(RuntimeRules.CheckCpuShares(value));

    [Fact]
    public void Labels_CoolifysBase64_DecodeNormalizeAndParse()
    {
        var encoded = Convert.ToBase64String("traefik.enable=true\r\n\r\ntraefik.http.routers.a.rule=Host(`a.example.com`) && PathPrefix(`/x`)\nflag\n"u8.ToArray());

        var text = ContainerLabelRules.Decode(encoded, out var error);

        Assert.Null(error);
        Assert.Null(ContainerLabelRules.Check(text));
        var stored = ContainerLabelRules.Normalize(text!);
        Assert.Equal("traefik.enable=true\ntraefik.http.routers.a.rule=Host(`a.example.com`) && PathPrefix(`/x`)\nflag", stored);
        Assert.Equal(["traefik.enable", "traefik.http.routers.a.rule", "flag"], ContainerLabelRules.Parse(stored).Select(l => l.Key));
        Assert.Equal(stored, ContainerLabelRules.Decode(ContainerLabelRules.Encode(stored!), out _));
    }

    [Theory]
    [InlineData("slipway.managed=false", "Slipway's own")]
    [InlineData("Slipway.Application=other", "Slipway's own")]
    [InlineData("slipway=x", "Slipway's own")]
    [InlineData("com.docker.compose.project=x", "Docker's")]
    [InlineData("--privileged", "is not key=value")]
    [InlineData("a=b\n--privileged=true", "is not key=value")]
    [InlineData("a b=c", "is not key=value")]
    [InlineData("a=1\na=2", "twice")]
    [InlineData("a=x\u0007y", "without control characters")]
    public void Labels_ReservedOrMalformed_AreRefused(string text, string error) =>
        Assert.Contains(error, ContainerLabelRules.Check(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("traefik.enable=true")]
    [InlineData("not base64!")]
    public void Labels_NotBase64_AreRefusedAsCoolifyDoes(string value)
    {
        Assert.Null(ContainerLabelRules.Decode(value, out var error));
        Assert.StartsWith("The custom_labels should be base64 encoded", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_TooManyOrTooLong_AreRefused()
    {
        Assert.Contains("at most 100 labels", ContainerLabelRules.Check(string.Join('\n', Enumerable.Range(0, 101).Select(i => $"k{i}=v"))), StringComparison.Ordinal);
        Assert.Contains("too long", ContainerLabelRules.Check("a=" + new string('x', 17000)), StringComparison.Ordinal);
    }
}
