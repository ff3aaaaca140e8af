namespace Slipway.Core.Teams;

/// <summary>A team owns servers, keys, projects and tokens. The root team has id 0, as in Coolify.</summary>
public sealed class Team
{
    public const long RootId = 0;

    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool PersonalTeam { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
