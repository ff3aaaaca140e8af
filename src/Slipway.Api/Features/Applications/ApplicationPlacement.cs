using Microsoft.EntityFrameworkCore;
using Slipway.Api.Http;
using Slipway.Core.Common;
using Slipway.Core.Projects;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

/// <summary>Resolves the project, environment and server a request names, all within the caller's team.</summary>
internal static class ApplicationPlacement
{
    public sealed record Resolved(ProjectEnvironment? Environment, Server? Server, IResult? Failure);

    public static async Task<Resolved> ResolveAsync(
        SlipwayDbContext db, long teamId, string? projectUuid, string? environmentName, string? environmentUuid, string? serverUuid,
        bool required, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var wantsEnvironment = required || projectUuid is not null || environmentName is not null || environmentUuid is not null;
        if (wantsEnvironment)
        {
            if (string.IsNullOrEmpty(projectUuid))
            {
                errors.Add("project_uuid", "The project_uuid field is required.");
            }

            if (string.IsNullOrEmpty(environmentName) && string.IsNullOrEmpty(environmentUuid))
            {
                errors.Add("environment_name", "The environment_name field is required when environment_uuid is not present.");
            }
        }

        if (required && string.IsNullOrEmpty(serverUuid))
        {
            errors.Add("server_uuid", "The server_uuid field is required.");
        }

        if (errors.HasErrors)
        {
            return new Resolved(null, null, errors.ToResult());
        }

        ProjectEnvironment? environment = null;
        if (wantsEnvironment)
        {
            var project = PublicId.IsPlausible(projectUuid)
                ? await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Uuid == projectUuid && p.TeamId == teamId, cancellationToken)
                : null;
            if (project is null)
            {
                return new Resolved(null, null, ApiResults.NotFound("Project not found."));
            }

            var environments = db.Environments.AsNoTracking().Where(e => e.ProjectId == project.Id);
            environment = !string.IsNullOrEmpty(environmentUuid)
                ? await environments.FirstOrDefaultAsync(e => e.Uuid == environmentUuid, cancellationToken)
                : await environments.FirstOrDefaultAsync(e => e.Name == environmentName, cancellationToken);
            if (environment is null)
            {
                return new Resolved(null, null, ApiResults.NotFound("Environment not found."));
            }
        }

        Server? server = null;
        if (!string.IsNullOrEmpty(serverUuid))
        {
            server = PublicId.IsPlausible(serverUuid)
                ? await db.Servers.AsNoTracking().FirstOrDefaultAsync(s => s.Uuid == serverUuid && s.TeamId == teamId, cancellationToken)
                : null;
            if (server is null)
            {
                return new Resolved(null, null, ApiResults.NotFound("Server not found."));
            }
        }

        return new Resolved(environment, server, null);
    }
}
