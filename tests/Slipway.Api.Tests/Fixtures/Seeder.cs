using Microsoft.EntityFrameworkCore;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Projects;
using Slipway.Core.Servers;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>Arranges rows directly in the test database, for tests whose subject is not how those rows are created.</summary>
public sealed class Seeder(ApiFactory factory)
{
    public async Task<Project> ProjectAsync(long teamId = 0, string name = "demo")
    {
        await using var db = factory.CreateDbContext();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var project = new Project { Uuid = PublicId.New(), TeamId = teamId, Name = name, CreatedAt = now, UpdatedAt = now };
        project.Environments.Add(new ProjectEnvironment { Uuid = PublicId.New(), Name = ProjectEnvironment.DefaultName, CreatedAt = now, UpdatedAt = now });
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project;
    }

    /// <summary>The team's localhost server; the root team gets one at start-up, other teams get one here.</summary>
    public async Task<Server> ServerAsync(long teamId = 0, int queueLimit = Server.DefaultDeploymentQueueLimit)
    {
        await using var db = factory.CreateDbContext();
        var existing = await db.Servers.FirstOrDefaultAsync(s => s.TeamId == teamId && s.IsLocalhost);
        if (existing is not null && existing.DeploymentQueueLimit == queueLimit)
        {
            return existing;
        }

        var now = Timestamps.Truncate(DateTime.UtcNow);
        var server = new Server
        {
            Uuid = PublicId.New(),
            TeamId = teamId,
            Name = $"server-{teamId}-{queueLimit}",
            Ip = "127.0.0.1",
            IsLocalhost = true,
            DeploymentQueueLimit = queueLimit,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Servers.Add(server);
        await db.SaveChangesAsync();
        return server;
    }

    public async Task<Application> ApplicationAsync(long teamId = 0, string name = "web", Server? server = null, Action<Application>? configure = null)
    {
        var project = await ProjectAsync(teamId);
        server ??= await ServerAsync(teamId);
        await using var db = factory.CreateDbContext();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var application = new Application
        {
            Uuid = PublicId.New(),
            TeamId = teamId,
            EnvironmentId = project.Environments[0].Id,
            ServerId = server.Id,
            Name = name,
            GitRepository = "https://github.com/example/web.git",
            GitBranch = "main",
            BuildPack = BuildPack.Static,
            CreatedAt = now,
            UpdatedAt = now,
        };
        configure?.Invoke(application);
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        return application;
    }

    public async Task<Deployment> DeploymentAsync(
        Application application, DeploymentStatus status = DeploymentStatus.Queued, int logLines = 0, string commit = "HEAD", int pullRequestId = 0)
    {
        await using var db = factory.CreateDbContext();
        var server = await db.Servers.FirstAsync(s => s.Id == application.ServerId);
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var uuid = PublicId.New();
        var deployment = new Deployment
        {
            Uuid = uuid,
            ApplicationId = application.Id,
            TeamId = application.TeamId,
            ServerId = server.Id,
            ServerName = server.Name,
            ApplicationName = application.Name,
            DestinationId = server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DeploymentUrl = $"/project/p/environment/e/application/{application.Uuid}/deployment/{uuid}",
            Commit = commit,
            PullRequestId = pullRequestId,
            Status = status,
            IsApi = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        for (var i = 1; i <= logLines; i++)
        {
            db.DeploymentLogEntries.Add(new DeploymentLogEntry
            {
                DeploymentId = deployment.Id,
                Order = i,
                Type = i % 10 == 0 ? "stderr" : "stdout",
                Output = $"Step {i}: building layer {i} of the image",
                Command = i % 100 == 1 ? "docker build" : null,
                Hidden = i % 50 == 0,
                Timestamp = now,
            });
        }

        await db.SaveChangesAsync();
        return deployment;
    }
}
