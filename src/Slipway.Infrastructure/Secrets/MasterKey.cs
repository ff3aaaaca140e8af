using System.Security.Cryptography;
using System.Text;

namespace Slipway.Infrastructure.Secrets;

/// <summary>
/// The key that encrypts the Data Protection keys stored in the database, from <c>SLIPWAY_MASTER_KEY</c> (at least
/// 32 characters; every instance is given the same one; never stored anywhere by Slipway). The AES-256 key is
/// derived from it with HKDF-SHA256.
/// </summary>
public sealed class MasterKey
{
    public const int MinimumLength = 32;
    private static readonly byte[] Info = "Slipway.DataProtection.KeyEncryption.v1"u8.ToArray();
    private readonly byte[] _key;

    public MasterKey(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumLength)
        {
            throw new InvalidOperationException(
                $"SLIPWAY_MASTER_KEY must be at least {MinimumLength} characters (e.g. `openssl rand -base64 48`); every instance needs the same value.");
        }

        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Info);
    }

    /// <summary>nonce (12) | tag (16) | ciphertext, AES-256-GCM.</summary>
    public byte[] Encrypt(byte[] plaintext)
    {
        var output = new byte[12 + 16 + plaintext.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plaintext, output.AsSpan(28), output.AsSpan(12, 16));
        return output;
    }

    public byte[] Decrypt(byte[] sealedData)
    {
        if (sealedData.Length < 28)
        {
            throw new CryptographicException("The encrypted key is truncated.");
        }

        var plaintext = new byte[sealedData.Length - 28];
        using var aes = new AesGcm(_key, 16);
        try
        {
            aes.Decrypt(sealedData.AsSpan(0, 12), sealedData.AsSpan(28), sealedData.AsSpan(12, 16), plaintext);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new CryptographicException("A Data Protection key in the database cannot be decrypted: is SLIPWAY_MASTER_KEY the one the other instances use?", ex);
        }

        return plaintext;
    }
}
