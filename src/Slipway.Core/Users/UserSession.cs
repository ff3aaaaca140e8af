namespace Slipway.Core.Users;

/// <summary>
/// A signed-in browser: the cookie carries a random key, the row its SHA-256, so every instance on the database
/// accepts it and removing the rows (a password reset, a removed member) ends the sessions everywhere.
/// </summary>
public sealed class UserSession
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string KeyHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
