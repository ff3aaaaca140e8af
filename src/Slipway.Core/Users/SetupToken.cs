namespace Slipway.Core.Users;

/// <summary>The one-time secret of the setup URL printed at the first start: it creates the first owner, once.</summary>
public sealed class SetupToken
{
    public long Id { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? UsedAt { get; set; }
}
