using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Slipway.Infrastructure.PrivateKeys;

/// <summary>
/// Checks that text is a private key SSH.NET can use (OpenSSH, PEM/PKCS#1, PKCS#8 or PuTTY, without a
/// passphrase) and derives its public key and fingerprint. The key itself is never logged or returned.
/// </summary>
public static class SshKeyInspector
{
    /// <summary>A 16384-bit RSA key is about 12 KB of text; anything much larger is not a key.</summary>
    public const int MaxLength = 32 * 1024;

    public const string InvalidMessage = "The private key is not a valid SSH private key.";
    public const string PassphraseMessage = "The private key is protected by a passphrase; provide it without one.";
    public const string TooLongMessage = "The private key must be at most 32 KB.";

    /// <summary>The form a key is stored in: <c>\n</c> line endings, no surrounding blank space, one final newline.</summary>
    public static string Normalize(string privateKey) =>
        privateKey.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";

    public static bool TryInspect(string? privateKey, [NotNullWhen(true)] out SshKeyInfo? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(privateKey))
        {
            error = "The private key field is required.";
            return false;
        }

        if (privateKey.Length > MaxLength)
        {
            error = TooLongMessage;
            return false;
        }

        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Normalize(privateKey)));
            using var file = new PrivateKeyFile(stream);
            // Every host algorithm of one key (rsa-sha2-512, rsa-sha2-256, ssh-rsa) carries the same public key blob.
            var blob = file.HostKeyAlgorithms.First().Data;
            var algorithm = AlgorithmOf(blob);
            var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
            key = new SshKeyInfo(algorithm, $"{algorithm} {Convert.ToBase64String(blob)}", fingerprint);
            error = null;
            return true;
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            error = PassphraseMessage;
            return false;
        }
        catch (Exception)
        {
            // Whatever the parser throws on malformed input (format, crypto, unsupported algorithm), the answer
            // is the same: this is not a key Slipway can use.
            error = InvalidMessage;
            return false;
        }
    }

    /// <summary>The SSH wire encoding of a public key starts with its algorithm name as a length-prefixed string.</summary>
    private static string AlgorithmOf(byte[] blob)
    {
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(blob);
        return Encoding.ASCII.GetString(blob, 4, length);
    }
}
