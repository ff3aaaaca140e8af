namespace Slipway.Core.Users;

/// <summary>A failed sign-in, by address and e-mail, counted by the login throttle across every instance.</summary>
public sealed class LoginAttempt
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string Address { get; set; }
    public DateTime AttemptedAt { get; set; }
}
