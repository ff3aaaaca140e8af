using Microsoft.EntityFrameworkCore;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Features.Deployments;

/// <summary>Builds the snapshot a new deployment row takes of its application, server, project and environment.</summary>
internal static class DeploymentTargets
{
    public static async Task<DeploymentTarget> LoadAsync(SlipwayDbContext db, Application application, CancellationToken cancellationToken)
    {
        var place = await db.Environments.AsNoTracking()
            .Where(e => e.Id == application.EnvironmentId)
            .Select(e => new { EnvironmentUuid = e.Uuid, ProjectUuid = e.Project!.Uuid })
            .FirstAsync(cancellationToken);
        var server = await db.Servers.AsNoTracking().FirstAsync(s => s.Id == application.ServerId, cancellationToken);
        return new DeploymentTarget(
            application.Id,
            application.Uuid,
            application.Name,
            application.GitCommitSha,
            application.TeamId,
            server.Id,
            server.Name,
            server.DeploymentQueueLimit,
            place.ProjectUuid,
            place.EnvironmentUuid);
    }
}
