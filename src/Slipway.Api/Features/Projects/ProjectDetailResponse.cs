using Slipway.Core.Projects;

namespace Slipway.Api.Features.Projects;

/// <summary>One project with its environments, as <c>GET /projects/{uuid}</c> answers in Coolify.</summary>
public sealed record ProjectDetailResponse(long Id, string Uuid, string Name, string? Description, IReadOnlyList<EnvironmentResponse> Environments)
{
    public static ProjectDetailResponse From(Project project) => new(
        project.Id,
        project.Uuid,
        project.Name,
        project.Description,
        project.Environments.OrderBy(e => e.Id).Select(EnvironmentResponse.From).ToList());
}
