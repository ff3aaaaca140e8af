using Microsoft.EntityFrameworkCore;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Projects;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Dashboard;

/// <summary>
/// Where a page is: the project, environment and application its URL names (Coolify's
/// <c>/project/{p}/environment/{e}/application/{a}</c>, which deployments' <c>deployment_url</c> points at), all
/// of the caller's team and nested as the URL says; anything else is a 404, exactly as the API answers another
/// team's resources.
/// </summary>
public sealed record Place(Project Project, ProjectEnvironment Environment, Application? Application)
{
    public string EnvironmentPath => $"/project/{Project.Uuid}/environment/{Environment.Uuid}";

    public string ApplicationPath => $"{EnvironmentPath}/application/{Application!.Uuid}";

    public static async Task<Place?> FindAsync(SlipwayDbContext db, long teamId, string project, string environment, string? application, CancellationToken cancellationToken)
    {
        if (!PublicId.IsPlausible(project) || !PublicId.IsPlausible(environment) || (application is not null && !PublicId.IsPlausible(application)))
        {
            return null;
        }

        var env = await db.Environments.AsNoTracking().Include(e => e.Project)
            .FirstOrDefaultAsync(e => e.Uuid == environment && e.Project!.Uuid == project && e.Project.TeamId == teamId, cancellationToken);
        if (env is null)
        {
            return null;
        }

        Application? app = null;
        if (application is not null)
        {
            app = await db.Applications.AsNoTracking()
                .FirstOrDefaultAsync(a => a.Uuid == application && a.EnvironmentId == env.Id && a.TeamId == teamId, cancellationToken);
            if (app is null)
            {
                return null;
            }
        }

        return new Place(env.Project!, env, app);
    }
}
