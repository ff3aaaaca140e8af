using System.Net;
using Slipway.Api.Http;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Http;

/// <summary><c>Slipway:TrustedProxies</c>: addresses and CIDR networks, anything else stops the start with a message.</summary>
[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class TrustedProxiesTests
{
    [Fact]
    public void Parse_AddressesAndNetworks_AreSeparated()
    {
        var (proxies, networks) = TrustedProxies.Parse(" 10.0.0.0/8, 192.168.1.10 ,::1, fd00::/8,");

        Assert.Equal([IPAddress.Parse("192.168.1.10"), IPAddress.IPv6Loopback], proxies);
        Assert.Equal([System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("fd00::/8")], networks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void Parse_Nothing_TrustsNoOne(string? value)
    {
        var (proxies, networks) = TrustedProxies.Parse(value);

        Assert.Empty(proxies);
        Assert.Empty(networks);
    }

    [Theory]
    [InlineData("proxy.example.com")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/x")]
    [InlineData("*")]
    [InlineData("10.0.0.1;10.0.0.2")]
    [InlineData("127.0.0.1/")]
    public void Parse_NotAnAddressOrNetwork_FailsNamingTheEntry(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TrustedProxies.Parse($"10.0.0.1, {value}"));

        Assert.Equal(
            $"Slipway:TrustedProxies (SLIPWAY_TRUSTED_PROXIES, --trusted-proxies): '{value}' is not an IP address or a CIDR network such as 10.0.0.0/8.",
            error.Message);
    }
}
