using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;

namespace Slipway.Testing;

// The API tests' part of CliSession (the rest, tests/Shared/CliSession.cs, is shared with the integration tests): what a
// command printed is compared with the API host's database.
internal sealed partial class CliSession
{
    /// <summary>The visible (not hidden) outputs of a deployment's stored log, oldest first: what the CLI must print.</summary>
    public static async Task<List<string>> StoredOutputsAsync(ApiFactory factory, string deploymentUuid, bool includeHidden = false)
    {
        await using var db = factory.CreateDbContext();
        var id = await db.Deployments.Where(d => d.Uuid == deploymentUuid).Select(d => d.Id).SingleAsync();
        return await db.DeploymentLogEntries.Where(e => e.DeploymentId == id && (includeHidden || !e.Hidden))
            .OrderBy(e => e.Order).Select(e => e.Output).ToListAsync();
    }

    public static async Task<Deployment> DeploymentAsync(ApiFactory factory, string deploymentUuid)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Uuid == deploymentUuid);
    }
}
