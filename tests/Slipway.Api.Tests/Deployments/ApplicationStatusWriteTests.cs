using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Infrastructure.Engine;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// A finished deployment marks its application running; an application already running is not written again (the
/// rewrite left a dead row version behind every finished deployment). On PostgreSQL the row's <c>xmin</c> shows
/// whether it was rewritten.
/// </summary>
public sealed class ApplicationStatusWriteTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetApplicationStatus_WritesAChange_AndLeavesAnEqualStatusUntouched()
    {
        var store = ActivatorUtilities.CreateInstance<EfEngineStore>(factory.Services);
        var tenant = await Tenant.CreateAsync(factory);
        var application = await tenant.ApplicationAsync("status", a => a.Status = "exited");

        await store.SetApplicationStatusAsync(application.Id, "running", Ct);
        Assert.Equal("running", await StatusAsync(application.Id));
        var version = await RowVersionAsync(application.Id);

        await store.SetApplicationStatusAsync(application.Id, "running", Ct);
        Assert.Equal("running", await StatusAsync(application.Id));
        Assert.Equal(version, await RowVersionAsync(application.Id));

        await store.SetApplicationStatusAsync(application.Id, "exited:unhealthy", Ct);
        Assert.Equal("exited:unhealthy", await StatusAsync(application.Id));
    }

    private async Task<string> StatusAsync(long id)
    {
        await using var db = factory.CreateDbContext();
        return await db.Applications.AsNoTracking().Where(a => a.Id == id).Select(a => a.Status).SingleAsync(Ct);
    }

    /// <summary>The transaction that last wrote the row on PostgreSQL; null on SQLite, which has no such column.</summary>
    private async Task<string?> RowVersionAsync(long id)
    {
        if (!TestDatabase.UsePostgres)
        {
            return null;
        }

        await using var db = factory.CreateDbContext();
        return await db.Database.SqlQuery<string>($"SELECT xmin::text AS \"Value\" FROM applications WHERE id = {id}").SingleAsync(Ct);
    }
}
