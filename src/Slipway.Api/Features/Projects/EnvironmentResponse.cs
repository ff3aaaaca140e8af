using Slipway.Core.Common;
using Slipway.Core.Projects;

namespace Slipway.Api.Features.Projects;

/// <summary>Coolify's <c>Environment</c>.</summary>
public sealed record EnvironmentResponse(long Id, string Uuid, string Name, long ProjectId, string? Description, string CreatedAt, string UpdatedAt)
{
    public static EnvironmentResponse From(ProjectEnvironment environment) => new(
        environment.Id,
        environment.Uuid,
        environment.Name,
        environment.ProjectId,
        environment.Description,
        Timestamps.ToWire(environment.CreatedAt),
        Timestamps.ToWire(environment.UpdatedAt));
}
