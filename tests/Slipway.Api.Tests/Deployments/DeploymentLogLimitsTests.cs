using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// The log writer stores a deployment's command output up to its limits (lines and bytes), then one line saying so,
/// then only Slipway's own lines: a build printing without end cannot fill the database.
/// </summary>
public sealed class DeploymentLogLimitsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Build = "docker build -t app .";

    private IDeploymentLogStore Log => factory.Services.GetRequiredService<IDeploymentLogStore>();

    [Fact]
    public async Task Append_PastTheLineLimit_StoresTheLimitOneNoticeAndLaterSlipwayLines()
    {
        var deployment = await DeploymentAsync();
        Log.SetLimits(deployment.Id, new LogLimits(MaxLines: 1_000, MaxBytes: long.MaxValue));

        await AppendAsync(deployment, Enumerable.Range(1, 1_500).Select(i => new LogLine($"line {i}", LogLine.Stdout, Build)));
        await AppendAsync(deployment, [LogLine.Info("-----> Starting container"), new LogLine("after the limit", LogLine.Stdout, Build), LogLine.Info("Deployment finished.")]);
        await Log.CompleteAsync(deployment.Id, Ct);

        var rows = await RowsAsync(deployment);
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => $"line {i}"), rows.Where(r => r.Command is not null).Select(r => r.Output));
        var notice = Assert.Single(rows, r => r.Output.StartsWith("Log limit reached", StringComparison.Ordinal));
        Assert.Equal(
            "Log limit reached after 1000 lines (7893 bytes) of command output (this server's deployment_log_max_lines is 1000, "
            + $"deployment_log_max_bytes {long.MaxValue}): the deployment goes on, but the rest of its commands' output is not stored.",
            notice.Output);
        Assert.Equal((LogLine.Stderr, false, 1_001), (notice.Type, notice.Hidden, notice.Order));
        Assert.Equal(["-----> Starting container", "Deployment finished."], rows.Where(r => r.Order > notice.Order).Select(r => r.Output));
        Assert.Equal(Enumerable.Range(1, rows.Count), rows.Select(r => r.Order));
    }

    [Fact]
    public async Task Append_PastTheByteLimit_StoresWhatFitsAndDropsTheRest()
    {
        var deployment = await DeploymentAsync();
        var line = new string('x', 1_000);
        // Each line is 1,000 bytes of output (the command's text is not counted): exactly 1,021 lines fit.
        Log.SetLimits(deployment.Id, new LogLimits(MaxLines: int.MaxValue, MaxBytes: 1_021_500));

        await AppendAsync(deployment, Enumerable.Range(1, 3_000).Select(_ => new LogLine(line, LogLine.Stdout, Build)));
        await Log.CompleteAsync(deployment.Id, Ct);

        var rows = await RowsAsync(deployment);
        Assert.Equal(1_021, rows.Count(r => r.Command is not null));
        Assert.StartsWith("Log limit reached after 1021 lines (1021000 bytes)", Assert.Single(rows, r => r.Command is null).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_WithinTheLimits_StoresEverythingAndNoNotice()
    {
        var deployment = await DeploymentAsync();
        Log.SetLimits(deployment.Id, new LogLimits(MaxLines: 1_000, MaxBytes: 1L << 20));

        await AppendAsync(deployment, Enumerable.Range(1, 1_000).Select(i => new LogLine($"line {i}", LogLine.Stdout, Build)));
        await Log.CompleteAsync(deployment.Id, Ct);

        var rows = await RowsAsync(deployment);
        Assert.Equal(1_000, rows.Count);
        Assert.DoesNotContain(rows, r => r.Output.StartsWith("Log limit reached", StringComparison.Ordinal));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Deployment> DeploymentAsync()
    {
        var tenant = await Tenant.CreateAsync(factory);
        return await tenant.DeploymentAsync(await tenant.ApplicationAsync(), DeploymentStatus.InProgress);
    }

    private async Task AppendAsync(Deployment deployment, IEnumerable<LogLine> lines)
    {
        // In batches of 100, as a command's output arrives.
        foreach (var batch in lines.Chunk(100))
        {
            await Log.AppendAsync(deployment.Id, batch, Ct);
        }

        await Log.FlushAsync(deployment.Id, Ct);
    }

    private async Task<List<DeploymentLogEntry>> RowsAsync(Deployment deployment)
    {
        await using var db = factory.CreateDbContext();
        return await db.DeploymentLogEntries.AsNoTracking().Where(e => e.DeploymentId == deployment.Id).OrderBy(e => e.Order).ToListAsync(Ct);
    }
}
