namespace Slipway.Core.Users;

/// <summary>
/// A person who signs in to the dashboard: one team, one role (<see cref="UserRoles"/>), an e-mail address kept
/// lower-case and a password stored only as ASP.NET Core Identity's hash.
/// </summary>
public sealed class User
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
