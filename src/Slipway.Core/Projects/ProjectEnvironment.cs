namespace Slipway.Core.Projects;

/// <summary>An environment of a project (Coolify's <c>environments</c>); a new project gets <c>production</c>.</summary>
public sealed class ProjectEnvironment
{
    public const string DefaultName = "production";

    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long ProjectId { get; set; }
    public Project? Project { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
