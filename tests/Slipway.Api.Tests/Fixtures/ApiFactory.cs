using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Tokens;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Teams;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// Boots the real API host on a real database file (or a real PostgreSQL database), one per test class.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A root token of the root team (id 0).</summary>
    public string RootToken { get; private set; } = string.Empty;

    public virtual async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        StartHost();
        RootToken = await CreateTokenAsync(ApiAbility.Root);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Slipway:DataDir", Database.DataDir);
        builder.UseSetting("Slipway:Database", Database.Provider);
        // The API tests check what is queued; running deployments is the integration tests' job.
        builder.UseSetting("Slipway:Engine:Enabled", "false");
        // PostgreSQL keeps the Data Protection keys in the database, encrypted with this (SLIPWAY_MASTER_KEY).
        builder.UseSetting("Slipway:MasterKey", TestInstances.MasterKey);
        if (Database.ConnectionString is not null)
        {
            builder.UseSetting("Slipway:PostgresConnectionString", Database.ConnectionString);
        }

        // Webhook payloads here name github.com and other hosts: their head checks are answered by a stand-in.
        builder.ConfigureTestServices(services => services
            .AddSingleton<FakeBranchHeads>()
            .Replace(ServiceDescriptor.Singleton<IBranchHeads>(sp => sp.GetRequiredService<FakeBranchHeads>())));
        // Every answer a test sees is checked against Slipway's own OpenAPI document.
        Contract.OpenApiConformance.AddTo(builder, Conformance);
        ConfigureSlipway(builder);
    }

    /// <summary>What the webhooks' "is this commit still the branch's head?" question is answered with.</summary>
    public FakeBranchHeads Heads => Services.GetRequiredService<FakeBranchHeads>();

    /// <summary>The check of every answer against the OpenAPI document (see <see cref="Contract.OpenApiConformance"/>).</summary>
    public Contract.OpenApiConformance Conformance { get; } = new();

    /// <summary>Where <see cref="ClientWith"/> clients send requests: the in-memory server unless a fixture listens on a real port.</summary>
    protected virtual Uri ClientBaseAddress => new("http://localhost");

    /// <summary>Starts the host: in memory (a TestServer) unless a fixture listens on a real port.</summary>
    protected virtual void StartHost() => _ = Server;

    /// <summary>Hook for fixtures that need other settings or services.</summary>
    protected virtual void ConfigureSlipway(IWebHostBuilder builder)
    {
    }

    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientBaseAddress });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient RootClient() => ClientWith(RootToken);

    public async Task<string> CreateTokenAsync(ApiAbility abilities, long teamId = 0, DateTime? expiresAt = null, string name = "test")
    {
        var tokens = Services.GetRequiredService<ApiTokenService>();
        var (_, plain) = await tokens.CreateAsync(teamId, name, abilities, expiresAt, CancellationToken.None);
        return plain;
    }

    public async Task<long> CreateTeamAsync(string name)
    {
        var team = await Services.GetRequiredService<TeamService>().CreateAsync(name, CancellationToken.None);
        return team.Id;
    }

    /// <summary>A fresh context on the test database, for arranging and asserting stored state.</summary>
    public SlipwayDbContext CreateDbContext() =>
        Services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContext();
}
