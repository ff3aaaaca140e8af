using System.Globalization;
using Slipway.Core.Validation;

namespace Slipway.Core.Tests.Routing;

public sealed class DomainRulesTests
{
    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("HTTPS://App.Example.COM/", "https://app.example.com")]
    [InlineData("http://app.example.com:3000", "http://app.example.com:3000")]
    [InlineData("https://example.com/API/v1/", "https://example.com/api/v1")]
    [InlineData(" https://a.example.com , http://b.example.com:8080/shop ", "https://a.example.com,http://b.example.com:8080/shop")]
    [InlineData("https://xn--bcher-kva.example", "https://xn--bcher-kva.example")]
    [InlineData("http://abc123.127.0.0.1.sslip.io", "http://abc123.127.0.0.1.sslip.io")]
    public void TryParse_ValidList_IsNormalised(string value, string expected)
    {
        Assert.True(DomainRules.TryParse(value, out var domains, out var error), error);
        Assert.Equal(expected, DomainRules.Join(domains));
    }

    [Fact]
    public void TryParse_Domain_SplitsSchemeHostPortAndPath()
    {
        Assert.True(DomainRules.TryParse("https://Shop.Example.com:8443/api/", out var domains, out _));
        var domain = Assert.Single(domains);
        Assert.Equal((true, "shop.example.com", (int?)8443, "/api", "shop.example.com/api"), (domain.IsHttps, domain.Host, domain.Port, domain.Path, domain.RouteKey));
    }

    [Theory]
    [InlineData("app.example.com", "has no scheme")]
    [InlineData("ftp://app.example.com", "must use http:// or https://")]
    [InlineData("ws://app.example.com", "must use http:// or https://")]
    [InlineData("https://*.example.com", "is a wildcard")]
    [InlineData("https://app.example.com:0", "invalid port")]
    [InlineData("https://app.example.com:99999", "invalid port")]
    [InlineData("https://app.example.com:80a", "invalid port")]
    [InlineData("https://localhost", "needs a host name with a dot")]
    [InlineData("https://10.0.0.1", "IP addresses are not domains")]
    [InlineData("https://-app.example.com", "invalid host name")]
    [InlineData("https://app_1.example.com", "invalid host name")]
    [InlineData("https://user@app.example.com", "no valid host name")]
    [InlineData("https://app.example.com/a/../b", "invalid path")]
    [InlineData("https://app.example.com/a%20b", "invalid path")]
    [InlineData("https://app.example.com/?q=1", "invalid path")]
    [InlineData("https://app.example.com/#x", "invalid path")]
    [InlineData("https://xn--zz.example.com", "invalid punycode label")]
    [InlineData("https://app.example.com,https://APP.example.com/", "listed twice")]
    public void Check_InvalidDomain_IsRefusedWithTheReason(string value, string reason)
    {
        var error = DomainRules.Check(value);
        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    /// <summary>What could change the meaning of a proxy config, a label or a shell line never passes.</summary>
    [Theory]
    [InlineData("https://app.example.com/{http.request.host}")]
    [InlineData("https://{http.request.host}")]
    [InlineData("https://app.example.com/{env.HOME}")]
    [InlineData("https://app.example.com /x")]
    [InlineData("https://app.example.com\n/x")]
    [InlineData("https://app.example.com\r\nHost: evil.example.com")]
    [InlineData("https://app.example.com/\"}]}")]
    [InlineData("https://app.example.com/'x'")]
    [InlineData("https://app.example.com/`id`")]
    [InlineData("https://app.example.com/$(id)")]
    [InlineData("https://app.example.com/a\\b")]
    [InlineData("https://app.example.com/<script>")]
    [InlineData("https://app.example.com\0")]
    [InlineData("https://app\t.example.com")]
    public void Check_HostileText_IsRefused(string value) => Assert.NotNull(DomainRules.Check(value));

    [Theory]
    [InlineData("https://аpple.com")] // Cyrillic а (U+0430)
    [InlineData("https://app.exаmple.com")]
    [InlineData("https://ｇoogle.com")] // full-width g
    [InlineData("https://bücher.example")]
    public void Check_UnicodeHost_IsRefusedAndThePunycodeFormIsSuggested(string value)
    {
        var error = DomainRules.Check(value);
        Assert.NotNull(error);
        Assert.Contains("punycode", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InternationalizedName_SuggestsItsPunycodeForm() =>
        Assert.Contains("https://xn--bcher-kva.example", DomainRules.Check("https://bücher.example"), StringComparison.Ordinal);

    [Fact]
    public void Check_HundredDomains_IsAcceptedAndOneMoreIsNot()
    {
        string List(int count) => string.Join(',', Enumerable.Range(0, count).Select(i => $"https://app{i.ToString(CultureInfo.InvariantCulture)}.example.com"));

        Assert.Null(DomainRules.Check(List(DomainRules.MaxDomains)));
        Assert.Contains("at most 100 domains (101 given)", DomainRules.Check(List(DomainRules.MaxDomains + 1)), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TenThousandDomains_IsRefusedQuickly()
    {
        var value = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"https://app{i.ToString(CultureInfo.InvariantCulture)}.example.com"));
        Assert.Contains("at most 100 domains (10000 given)", DomainRules.Check(value), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ErrorMessage_ShowsControlCharactersEscaped()
    {
        var error = DomainRules.Check("https://app.example.com\n{evil}")!;
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
        Assert.Contains("\\n", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void TryParse_Nothing_IsTheEmptyList(string? value)
    {
        Assert.True(DomainRules.TryParse(value, out var domains, out _));
        Assert.Empty(domains);
        Assert.Null(DomainRules.Join(domains));
    }
}
