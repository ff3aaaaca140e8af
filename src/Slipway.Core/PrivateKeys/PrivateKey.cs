namespace Slipway.Core.PrivateKeys;

/// <summary>An SSH private key. The key material is stored encrypted and never leaves the server.</summary>
public sealed class PrivateKey
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long TeamId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>The OpenSSH/PEM private key, protected with ASP.NET Data Protection.</summary>
    public required string ProtectedPrivateKey { get; set; }

    public required string PublicKey { get; set; }
    public required string Fingerprint { get; set; }
    public bool IsGitRelated { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
