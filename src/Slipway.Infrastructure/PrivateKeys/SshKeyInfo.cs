namespace Slipway.Infrastructure.PrivateKeys;

/// <summary>
/// What can be shown of a private key: its algorithm (<c>ssh-ed25519</c>), the OpenSSH public key line
/// (<c>ssh-ed25519 AAAA...</c>) and the <c>SHA256:...</c> fingerprint <c>ssh-keygen -l</c> prints.
/// </summary>
public sealed record SshKeyInfo(string Algorithm, string PublicKey, string Fingerprint);
