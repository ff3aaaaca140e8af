namespace Slipway.Core.Projects;

public sealed class Project
{
    public long Id { get; set; }
    public required string Uuid { get; set; }
    public long TeamId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<ProjectEnvironment> Environments { get; set; } = [];
}
