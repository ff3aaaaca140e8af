using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Engine;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// How a run ends its deployment on the suite's database: the log writer is closed (every line stored), then one write
/// records the terminal status and the whole log (<see cref="IEngineStore.CompleteAsync"/>, logComplete), so other
/// instances' followers hear one change, not two. When that write does not apply, the log is recorded whole on its own.
/// </summary>
public sealed class DeploymentCompletionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDeploymentLogStore Log => factory.Services.GetRequiredService<IDeploymentLogStore>();

    // The engine's own store on the suite's host (whose engine is off): no lease, so every row counts as its own.
    private IEngineStore Store => ActivatorUtilities.CreateInstance<EfEngineStore>(factory.Services);

    [Fact]
    public async Task CloseThenComplete_StoresEveryLine_ThenOneWriteRecordsTheStatusAndTheWholeLog()
    {
        var deployment = await InProgressAsync();
        await Log.AppendAsync(deployment.Id, [LogLine.Info("last step"), LogLine.Info("Deployment finished.")], Ct);

        await Log.CloseAsync(deployment.Id, Ct);

        var closed = await RowAsync(deployment);
        Assert.Equal((DeploymentStatus.InProgress, false), (closed.Status, closed.LogComplete));
        Assert.Equal(["last step", "Deployment finished."], await OutputsAsync(deployment));
        Assert.False(factory.Services.GetRequiredService<DeploymentLogFeed>().IsWriting(deployment.Id));

        Assert.True(await Store.CompleteAsync(deployment.Id, DeploymentStatus.Finished, Timestamps.Now(TimeProvider.System), logComplete: true, Ct));

        var ended = await RowAsync(deployment);
        Assert.Equal((DeploymentStatus.Finished, true), (ended.Status, ended.LogComplete));
        Assert.NotNull(ended.FinishedAt);
    }

    [Fact]
    public async Task Complete_OfADeploymentCancelledMeanwhile_ChangesNothing_AndTheLogIsThenRecordedWholeOnItsOwn()
    {
        var deployment = await InProgressAsync();
        await Log.AppendAsync(deployment.Id, [LogLine.Info("building")], Ct);
        await Log.CloseAsync(deployment.Id, Ct);
        await using (var db = factory.CreateDbContext())
        {
            await db.Deployments.Where(d => d.Id == deployment.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.CancelledByUser), Ct);
        }

        Assert.False(await Store.CompleteAsync(deployment.Id, DeploymentStatus.Finished, Timestamps.Now(TimeProvider.System), logComplete: true, Ct));
        var cancelled = await RowAsync(deployment);
        Assert.Equal((DeploymentStatus.CancelledByUser, false), (cancelled.Status, cancelled.LogComplete));

        await Log.CompleteAsync(deployment.Id, Ct);

        Assert.True((await RowAsync(deployment)).LogComplete);
        Assert.Equal(["building"], await OutputsAsync(deployment));
    }

    [Fact]
    public async Task Complete_WithoutLogComplete_EndsTheRunAndLeavesTheLogOpen()
    {
        var deployment = await InProgressAsync();

        Assert.True(await Store.CompleteAsync(deployment.Id, DeploymentStatus.Failed, Timestamps.Now(TimeProvider.System), logComplete: false, Ct));

        var failed = await RowAsync(deployment);
        Assert.Equal((DeploymentStatus.Failed, false), (failed.Status, failed.LogComplete));
    }

    private async Task<Deployment> InProgressAsync()
    {
        var tenant = await Tenant.CreateAsync(factory);
        return await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.InProgress);
    }

    private async Task<Deployment> RowAsync(Deployment deployment)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == deployment.Id, Ct);
    }

    private async Task<List<string>> OutputsAsync(Deployment deployment)
    {
        await using var db = factory.CreateDbContext();
        return await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deployment.Id)
            .OrderBy(e => e.Order).Select(e => e.Output).ToListAsync(Ct);
    }
}
