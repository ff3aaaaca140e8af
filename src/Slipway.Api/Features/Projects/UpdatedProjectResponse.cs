namespace Slipway.Api.Features.Projects;

/// <summary>What <c>PATCH /projects/{uuid}</c> answers (201, as Coolify does).</summary>
public sealed record UpdatedProjectResponse(string Uuid, string Name, string? Description);
