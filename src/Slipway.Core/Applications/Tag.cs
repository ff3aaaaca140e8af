namespace Slipway.Core.Applications;

/// <summary>A team-wide label; <c>POST /deploy?tag=</c> deploys every application carrying it.</summary>
public sealed class Tag
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long TeamId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
