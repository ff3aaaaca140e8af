using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Servers;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Deployments;

/// <summary>
/// A fresh team with its own server, so a test sees only the rows it arranged even though the factory (and its
/// database) is shared by every test of a class.
/// </summary>
internal sealed class Tenant
{
    private readonly ApiFactory _factory;

    private Tenant(ApiFactory factory, long teamId, Server server)
    {
        _factory = factory;
        TeamId = teamId;
        Server = server;
        Seeder = new Seeder(factory);
    }

    public long TeamId { get; }
    public Server Server { get; }
    public Seeder Seeder { get; }

    public static async Task<Tenant> CreateAsync(ApiFactory factory, int queueLimit = Server.DefaultDeploymentQueueLimit)
    {
        var teamId = await factory.CreateTeamAsync($"team-{Guid.NewGuid():N}");
        var server = await new Seeder(factory).ServerAsync(teamId, queueLimit);
        return new Tenant(factory, teamId, server);
    }

    public Task<string> TokenAsync(ApiAbility abilities) => _factory.CreateTokenAsync(abilities, TeamId);

    public async Task<HttpClient> ClientAsync(ApiAbility abilities) => _factory.ClientWith(await TokenAsync(abilities));

    public Task<Application> ApplicationAsync(string name = "web", Action<Application>? configure = null) =>
        Seeder.ApplicationAsync(TeamId, name, Server, configure);

    public Task<Deployment> DeploymentAsync(
        Application application, DeploymentStatus status = DeploymentStatus.Queued, int logLines = 0, string commit = "HEAD") =>
        Seeder.DeploymentAsync(application, status, logLines, commit);
}
