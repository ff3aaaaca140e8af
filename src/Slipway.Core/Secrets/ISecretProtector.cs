namespace Slipway.Core.Secrets;

/// <summary>Encrypts secrets at rest (private keys, environment values, webhook secrets).</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string protectedValue);
}
