using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Common;
using Slipway.Core.Projects;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Applications;

/// <summary>Resolves the project, environment and server a request names, all within the caller's team.</summary>
internal static class ApplicationPlacement
{
    /// <summary>What the request names, or why not: <see cref="Invalid"/> (a 422) or <see cref="Missing"/> (a 404).</summary>
    public sealed record Resolved(ProjectEnvironment? Environment, Server? Server, UnprocessableEntity<ValidationErrorResponse>? Invalid = null, NotFound<ErrorResponse>? Missing = null);

    /// <summary>The placement a create or PATCH names; on a PATCH that sends destination_uuid, <c>currentServerUuid</c> is the application's server.</summary>
    public static Task<Resolved> ResolveAsync(
        SlipwayDbContext db, long teamId, WireBody<ApplicationDraft> body, bool required, CancellationToken cancellationToken, string? currentServerUuid = null)
    {
        // A server's one destination (its slipway network) has the server's uuid: destination_uuid, when sent, must name
        // the server the application is placed on; it never places it by itself.
        var serverUuid = body.Text(ApplicationTable.ServerUuid);
        var destinationUuid = body.Text(ApplicationTable.DestinationUuid);
        var placedOn = string.IsNullOrEmpty(serverUuid) ? currentServerUuid : serverUuid;
        if (!string.IsNullOrEmpty(destinationUuid) && destinationUuid != placedOn)
        {
            var errors = new ValidationErrors();
            errors.Add(ApplicationTable.DestinationUuid.Name,
                "Each Slipway server has one destination (its slipway Docker network), whose uuid is the server's: destination_uuid must equal the application's server_uuid, or be left out.");
            return Task.FromResult(new Resolved(null, null, Invalid: errors.ToResult()));
        }

        return ResolveAsync(
            db, teamId, body.Text(ApplicationTable.ProjectUuid), body.Text(ApplicationTable.EnvironmentName), body.Text(ApplicationTable.EnvironmentUuid),
            serverUuid, required, cancellationToken);
    }

    private static async Task<Resolved> ResolveAsync(
        SlipwayDbContext db, long teamId, string? projectUuid, string? environmentName, string? environmentUuid, string? serverUuid,
        bool required, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var wantsEnvironment = required || projectUuid is not null || environmentName is not null || environmentUuid is not null;
        if (wantsEnvironment)
        {
            if (string.IsNullOrEmpty(projectUuid))
            {
                errors.Add(ApplicationTable.ProjectUuid.Name, $"The {ApplicationTable.ProjectUuid.Name} field is required.");
            }

            if (string.IsNullOrEmpty(environmentName) && string.IsNullOrEmpty(environmentUuid))
            {
                errors.Add(ApplicationTable.EnvironmentName.Name, $"The {ApplicationTable.EnvironmentName.Name} field is required when {ApplicationTable.EnvironmentUuid.Name} is not present.");
            }
        }

        if (required && string.IsNullOrEmpty(serverUuid))
        {
            errors.Add(ApplicationTable.ServerUuid.Name, $"The {ApplicationTable.ServerUuid.Name} field is required.");
        }

        if (errors.HasErrors)
        {
            return new Resolved(null, null, Invalid: errors.ToResult());
        }

        ProjectEnvironment? environment = null;
        if (wantsEnvironment)
        {
            var project = PublicId.IsPlausible(projectUuid)
                ? await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Uuid == projectUuid && p.TeamId == teamId, cancellationToken)
                : null;
            if (project is null)
            {
                return new Resolved(null, null, Missing: ApiResults.NotFound("Project not found."));
            }

            var environments = db.Environments.AsNoTracking().Where(e => e.ProjectId == project.Id);
            environment = !string.IsNullOrEmpty(environmentUuid)
                ? await environments.FirstOrDefaultAsync(e => e.Uuid == environmentUuid, cancellationToken)
                : await environments.FirstOrDefaultAsync(e => e.Name == environmentName, cancellationToken);
            if (environment is null)
            {
                return new Resolved(null, null, Missing: ApiResults.NotFound("Environment not found."));
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
                return new Resolved(null, null, Missing: ApiResults.NotFound("Server not found."));
            }
        }

        return new Resolved(environment, server);
    }
}
