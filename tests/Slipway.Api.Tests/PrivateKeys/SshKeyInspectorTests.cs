using Slipway.Api.Tests.Fixtures;
using Slipway.Infrastructure.PrivateKeys;

namespace Slipway.Api.Tests.PrivateKeys;

[Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)]
public sealed class SshKeyInspectorTests
{
    [Theory]
    [InlineData("ed25519", null)]
    [InlineData("rsa", null)]
    [InlineData("rsa", "PEM")]
    [InlineData("ecdsa", null)]
    public async Task TryInspect_KeyFromSshKeygen_MatchesSshKeygenPublicKeyAndFingerprint(string type, string? format)
    {
        var generated = await TestSshKeys.GenerateAsync(type, format: format);

        var ok = SshKeyInspector.TryInspect(generated.PrivateKey, out var key, out var error);

        Assert.True(ok, error);
        Assert.Equal(generated.PublicKey, key!.PublicKey);
        Assert.Equal(generated.Fingerprint, key.Fingerprint);
        Assert.StartsWith(key.Algorithm + " ", key.PublicKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryInspect_WindowsLineEndingsAndSurroundingSpace_ParsesSameKey()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519");
        var mangled = "\n  " + generated.PrivateKey.Replace("\n", "\r\n", StringComparison.Ordinal) + "  \n\n";

        var ok = SshKeyInspector.TryInspect(mangled, out var key, out _);

        Assert.True(ok);
        Assert.Equal(generated.Fingerprint, key!.Fingerprint);
    }

    [Fact]
    public async Task TryInspect_PassphraseProtectedKey_SaysSo()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519", passphrase: "correct horse");

        var ok = SshKeyInspector.TryInspect(generated.PrivateKey, out _, out var error);

        Assert.False(ok);
        Assert.Equal(SshKeyInspector.PassphraseMessage, error);
    }

    [Fact]
    public async Task TryInspect_PublicKeyInsteadOfPrivate_IsInvalid()
    {
        var generated = await TestSshKeys.GenerateAsync("ed25519");

        Assert.False(SshKeyInspector.TryInspect(generated.PublicKey, out _, out var error));
        Assert.Equal(SshKeyInspector.InvalidMessage, error);
    }

    [Fact]
    public async Task TryInspect_TruncatedKey_IsInvalid()
    {
        var generated = await TestSshKeys.GenerateAsync("rsa");
        var lines = generated.PrivateKey.Split('\n');
        var truncated = string.Join('\n', lines.Take(4).Append(lines[^2]));

        Assert.False(SshKeyInspector.TryInspect(truncated, out _, out var error));
        Assert.Equal(SshKeyInspector.InvalidMessage, error);
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\n../../etc/passwd\n-----END OPENSSH PRIVATE KEY-----")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA%00\n-----END RSA PRIVATE KEY-----")]
    [InlineData("\u0000\u0001\u0002")]
    [InlineData("ключ 🔑")]
    public void TryInspect_Garbage_IsInvalid(string text)
    {
        Assert.False(SshKeyInspector.TryInspect(text, out var key, out var error));
        Assert.Null(key);
        Assert.Equal(SshKeyInspector.InvalidMessage, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n ")]
    public void TryInspect_Empty_IsRequired(string? text)
    {
        Assert.False(SshKeyInspector.TryInspect(text, out _, out var error));
        Assert.Equal("The private key field is required.", error);
    }

    [Fact]
    public void TryInspect_HugeText_IsRejectedBeforeParsing()
    {
        var huge = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + new string('A', SshKeyInspector.MaxLength) + "\n-----END OPENSSH PRIVATE KEY-----";

        Assert.False(SshKeyInspector.TryInspect(huge, out _, out var error));
        Assert.Equal(SshKeyInspector.TooLongMessage, error);
    }
}
