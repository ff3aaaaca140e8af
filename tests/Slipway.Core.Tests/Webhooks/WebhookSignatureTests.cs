using System.Text;
using Slipway.Core.Webhooks;

namespace Slipway.Core.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\"}");

    [Fact]
    public void Verify_HmacOfTheRawBodyWithTheSecret_IsValid() =>
        Assert.True(WebhookSignature.Verify(SignatureScheme.HmacSha256, Body, "s3cret", WebhookSignature.Sign(Body, "s3cret")));

    [Fact]
    public void Sign_KnownVector_MatchesGitHubsDocumentedExample()
    {
        // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
        var signature = WebhookSignature.Sign(Encoding.UTF8.GetBytes("Hello, World!"), "It's a Secret to Everybody");

        Assert.Equal("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", signature);
    }

    [Theory]
    [InlineData("other-secret")]
    [InlineData("s3cret ")]
    [InlineData("S3cret")]
    public void Verify_SignedWithAnotherSecret_IsInvalid(string signingSecret) =>
        Assert.False(WebhookSignature.Verify(SignatureScheme.HmacSha256, Body, "s3cret", WebhookSignature.Sign(Body, signingSecret)));

    [Fact]
    public void Verify_BodyChangedAfterSigning_IsInvalid()
    {
        var signature = WebhookSignature.Sign(Body, "s3cret");
        var tampered = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/evil\"}");

        Assert.False(WebhookSignature.Verify(SignatureScheme.HmacSha256, tampered, "s3cret", signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Verify_EmptySecret_NeverVerifiesAnything(string? secret)
    {
        // Even a signature made with the empty key, which an attacker can compute, must not pass.
        Assert.False(WebhookSignature.Verify(SignatureScheme.HmacSha256, Body, secret, WebhookSignature.Sign(Body, "")));
        Assert.False(WebhookSignature.Verify(SignatureScheme.Token, Body, secret, ""));
    }

    [Theory]
    [InlineData("s3cret", true)]
    [InlineData("s3cret2", false)]
    [InlineData("s3cre", false)]
    [InlineData("", false)]
    public void Verify_GitLabToken_ComparesTheWholeValue(string token, bool expected) =>
        Assert.Equal(expected, WebhookSignature.Verify(SignatureScheme.Token, Body, "s3cret", token));

    [Theory]
    [InlineData(null, "Missing X-Hub-Signature header")]
    [InlineData("", "Missing X-Hub-Signature header")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567", "Unsupported signature algorithm 'sha1'")]
    [InlineData("md5=0123456789abcdef0123456789abcdef", "Unsupported signature algorithm 'md5'")]
    [InlineData("sha512=00", "Unsupported signature algorithm 'sha512'")]
    [InlineData("<script>=00", "Unsupported signature algorithm '?'")]
    [InlineData("0123456789abcdef", "must be sha256=<hex digest>")]
    [InlineData("sha256=xyz", "64 hex digits")]
    [InlineData("sha256=0123", "64 hex digits")]
    public void CheckFormat_BadHeader_SaysWhy(string? value, string expected) =>
        Assert.Contains(expected, WebhookSignature.CheckFormat(SignatureScheme.HmacSha256, "X-Hub-Signature", value), StringComparison.Ordinal);

    [Fact]
    public void Verify_WrongAlgorithmWithACorrectDigest_IsInvalid()
    {
        // A sha1= header is refused outright, even if what follows happens to be our sha256 digest.
        var digest = WebhookSignature.Sign(Body, "s3cret")["sha256=".Length..];

        Assert.False(WebhookSignature.Verify(SignatureScheme.HmacSha256, Body, "s3cret", "sha1=" + digest));
    }

    [Fact]
    public void Verify_UpperCaseHexDigest_IsValid() =>
        Assert.True(WebhookSignature.Verify(SignatureScheme.HmacSha256, Body, "s3cret", "sha256=" + WebhookSignature.Sign(Body, "s3cret")[7..].ToUpperInvariant()));
}
