using Slipway.Core.Previews;

namespace Slipway.Core.Tests.Previews;

public sealed class PreviewAddressTests
{
    [Theory]
    [InlineData("https://app.example.com", "{{pr_id}}.{{domain}}", "https://7.app.example.com")]
    [InlineData("https://app.example.com,https://www.example.com", "{{pr_id}}.{{domain}}", "https://7.app.example.com")]
    [InlineData("http://app.example.com:8080/shop", "pr-{{pr_id}}.{{domain}}", "http://pr-7.app.example.com:8080/shop")]
    [InlineData("https://app.example.com", "{{random}}.previews.example.com", "https://r4nd0m.previews.example.com")]
    [InlineData("https://app.example.com", "", "https://7.app.example.com")]
    public void Fqdn_Template_IsExpandedAroundTheFirstDomain(string fqdn, string template, string expected) =>
        Assert.Equal(expected, PreviewAddress.Fqdn(fqdn, template, 7, () => "r4nd0m"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Fqdn_ApplicationWithoutDomain_HasNone(string? fqdn) => Assert.Null(PreviewAddress.Fqdn(fqdn, "{{pr_id}}.{{domain}}", 7));

    [Fact]
    public void Fqdn_ResultThatIsNotAValidDomain_IsNone() =>
        Assert.Null(PreviewAddress.Fqdn("https://app.example.com", "{{pr_id}}..{{domain}}", 7));
}
