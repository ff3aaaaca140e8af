using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Bench.Seed;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Projects;
using Slipway.Core.Tokens;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Tokens;

// Usage: Slipway.Bench.Seed --data-dir DIR [--log-lines 5000] [--deployments 0]
// Initialises DIR as `slipway serve` would on first start, seeds one finished deployment with its log rows (and,
// with --deployments N, N earlier finished deployments of the same application, for bench/dashboard.sh) and prints
// {"deploymentUuid", "deploymentPath", "applicationPath", "readToken", "sensitiveToken", "rootToken", "logLines",
// "runningDeploymentId", "runningDeploymentUuid"} as JSON (the paths are the dashboard's pages).
var dataDir = Arg(args, "--data-dir") ?? throw new ArgumentException("--data-dir DIR is required.");
var logLines = int.Parse(Arg(args, "--log-lines") ?? "5000", CultureInfo.InvariantCulture);
var earlier = int.Parse(Arg(args, "--deployments") ?? "0", CultureInfo.InvariantCulture);
var options = new SlipwayDataOptions { DataDir = dataDir };
if (File.Exists(options.SqlitePath))
{
    await Console.Error.WriteLineAsync($"{options.SqlitePath} exists: the seed wants an empty data directory.");
    return 2;
}

var services = new ServiceCollection();
services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
services.AddSlipwayData(options);
await using var provider = services.BuildServiceProvider();
var rootToken = await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None)
    ?? throw new InvalidOperationException("The database was not new.");

var contexts = provider.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();
await using var db = await contexts.CreateDbContextAsync();
var server = await db.Servers.SingleAsync(s => s.IsLocalhost && s.TeamId == 0);
var now = Timestamps.Now(TimeProvider.System);

var project = new Project { Uuid = PublicId.New(), TeamId = 0, Name = "storefront", CreatedAt = now, UpdatedAt = now };
project.Environments.Add(new ProjectEnvironment { Uuid = PublicId.New(), Name = ProjectEnvironment.DefaultName, CreatedAt = now, UpdatedAt = now });
db.Projects.Add(project);
await db.SaveChangesAsync();

var application = new Application
{
    Uuid = PublicId.New(),
    TeamId = 0,
    EnvironmentId = project.Environments[0].Id,
    ServerId = server.Id,
    Name = "storefront",
    GitRepository = "https://github.com/acme/storefront.git",
    GitBranch = "main",
    BuildPack = BuildPack.Dockerfile,
    PortsExposes = "3000",
    Fqdn = "https://shop.example.com",
    CreatedAt = now,
    UpdatedAt = now,
};
db.Applications.Add(application);
await db.SaveChangesAsync();

// Earlier deployments first (lower ids, older), in batches, so the measured one is the application's newest.
for (var done = 0; done < earlier;)
{
    var batch = Math.Min(1000, earlier - done);
    for (var i = 0; i < batch; i++, done++)
    {
        var at = now.AddMinutes(-10 - (earlier - done) * 7);
        var old = PublicId.New();
        db.Deployments.Add(new Deployment
        {
            Uuid = old,
            ApplicationId = application.Id,
            TeamId = 0,
            ServerId = server.Id,
            ServerName = server.Name,
            ApplicationName = application.Name,
            DestinationId = server.Id.ToString(CultureInfo.InvariantCulture),
            DeploymentUrl = $"/project/{project.Uuid}/environment/{project.Environments[0].Uuid}/application/{application.Uuid}/deployment/{old}",
            Commit = Convert.ToHexStringLower(BitConverter.GetBytes((long)done * 2654435761L)) + "0a5e3f8c21d6b9a0e4f7c3d2",
            CommitMessage = "Checkout: earlier change " + done.ToString(CultureInfo.InvariantCulture),
            Status = done % 17 == 0 ? DeploymentStatus.Failed : DeploymentStatus.Finished,
            IsApi = true,
            GitType = "github",
            CreatedAt = at,
            UpdatedAt = at.AddMinutes(3),
            StartedAt = at,
            FinishedAt = at.AddMinutes(3),
        });
    }

    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();
}

var uuid = PublicId.New();
var started = now.AddMinutes(-5);
var deployment = new Deployment
{
    Uuid = uuid,
    ApplicationId = application.Id,
    TeamId = 0,
    ServerId = server.Id,
    ServerName = server.Name,
    ApplicationName = application.Name,
    DestinationId = server.Id.ToString(CultureInfo.InvariantCulture),
    DeploymentUrl = $"/project/{project.Uuid}/environment/{project.Environments[0].Uuid}/application/{application.Uuid}/deployment/{uuid}",
    Commit = "9f2c1e7b4d0a5e3f8c21d6b9a0e4f7c3d2b1a0e9",
    CommitMessage = "Checkout: show delivery estimate before payment",
    Status = DeploymentStatus.Finished,
    IsApi = true,
    GitType = "github",
    CreatedAt = started,
    UpdatedAt = now,
    StartedAt = started,
    FinishedAt = now,
};
db.Deployments.Add(deployment);
await db.SaveChangesAsync();

foreach (var chunk in LogLines.Build(deployment.Id, logLines, started).Chunk(10_000))
{
    db.DeploymentLogEntries.AddRange(chunk);
    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();
}

// A second, running deployment, for the busy variant of the benchmark to append log rows to.
var runningUuid = PublicId.New();
var running = new Deployment
{
    Uuid = runningUuid,
    ApplicationId = application.Id,
    TeamId = 0,
    ServerId = server.Id,
    ServerName = server.Name,
    ApplicationName = application.Name,
    DestinationId = deployment.DestinationId,
    DeploymentUrl = deployment.DeploymentUrl.Replace(uuid, runningUuid, StringComparison.Ordinal),
    Commit = "HEAD",
    Status = DeploymentStatus.InProgress,
    IsApi = true,
    CreatedAt = now,
    UpdatedAt = now,
    StartedAt = now,
};
db.Deployments.Add(running);
await db.SaveChangesAsync();

var tokens = provider.GetRequiredService<ApiTokenService>();
var (_, readToken) = await tokens.CreateAsync(0, "bench-read", ApiAbility.Read, null, CancellationToken.None);
var (_, sensitiveToken) = await tokens.CreateAsync(0, "bench-read-sensitive", ApiAbility.Read | ApiAbility.ReadSensitive, null, CancellationToken.None);

var lengths = await db.DeploymentLogEntries.Where(e => e.DeploymentId == deployment.Id).Select(e => e.Output.Length).ToListAsync();
await Console.Error.WriteLineAsync(
    $"Seeded {lengths.Count} log rows: output length min {lengths.Min()}, mean {lengths.Average():0}, max {lengths.Max()}.");

var result = new Dictionary<string, object>
{
    ["deploymentUuid"] = uuid,
    ["deploymentPath"] = deployment.DeploymentUrl,
    ["applicationPath"] = $"/project/{project.Uuid}/environment/{project.Environments[0].Uuid}/application/{application.Uuid}",
    ["runningDeploymentUuid"] = runningUuid,
    ["readToken"] = readToken,
    ["sensitiveToken"] = sensitiveToken,
    ["rootToken"] = rootToken,
    ["logLines"] = lengths.Count,
    ["runningDeploymentId"] = running.Id,
};
await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result));
return 0;

static string? Arg(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
