namespace Slipway.Core.Tokens;

/// <summary>
/// A personal access token in Sanctum's shape: the caller presents <c>{id}|{secret}</c>; only the hex SHA-256 of
/// the secret is stored.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }

    /// <summary>Comma-separated wire names, e.g. <c>read,deploy</c>.</summary>
    public required string Abilities { get; set; }

    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>The dashboard user who created it (they may revoke it); null for tokens made by the CLI or at the first start.</summary>
    public long? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
