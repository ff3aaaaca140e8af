using Slipway.Core.Projects;

namespace Slipway.Api.Features.Projects;

/// <summary>A project in lists (Coolify selects exactly these four columns).</summary>
public sealed record ProjectResponse(long Id, string Uuid, string Name, string? Description)
{
    public static ProjectResponse From(Project project) => new(project.Id, project.Uuid, project.Name, project.Description);
}
