using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Core.Common;
using Slipway.Core.Execution;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Secrets;
using Slipway.Core.Servers;
using Slipway.Core.Teams;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Execution;
using Slipway.Infrastructure.Servers;

namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// Slipway's real services (AddSlipwayData) over a fresh SQLite database in a temporary directory, with helpers
/// to add servers and keys the way the API stores them (key encrypted with Data Protection).
/// </summary>
internal sealed class SlipwayTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SlipwayTestHost(ServiceProvider services, string dataDir)
    {
        _services = services;
        DataDir = dataDir;
    }

    public string DataDir { get; }

    public IExecutionTargets Targets => _services.GetRequiredService<IExecutionTargets>();

    public SshConnectionPool Pool => _services.GetRequiredService<SshConnectionPool>();

    public ServerValidator Validator => _services.GetRequiredService<ServerValidator>();

    public IDbContextFactory<SlipwayDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<SlipwayTestHost> StartAsync(SshOptions? sshOptions = null, Action<IServiceCollection>? configure = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("slipway-integration-").FullName;
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
        if (sshOptions is not null)
        {
            services.AddSingleton(sshOptions);
        }

        configure?.Invoke(services);
        services.AddSlipwayData(new SlipwayDataOptions { DataDir = dataDir });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        return new SlipwayTestHost(provider, dataDir);
    }

    /// <summary>A server row pointing at the test sshd (or at <paramref name="port"/>), with <paramref name="privateKey"/> or the test key.</summary>
    public async Task<Server> AddSshServerAsync(SshTestServer ssh, string? privateKey = null, int? port = null, string? hostKeyFingerprint = null)
    {
        var protector = _services.GetRequiredService<ISecretProtector>();
        await using var db = await Contexts.CreateDbContextAsync();
        var now = Timestamps.Now(TimeProvider.System);
        var key = new PrivateKey
        {
            Uuid = PublicId.New(),
            TeamId = Team.RootId,
            Name = "test key",
            ProtectedPrivateKey = protector.Protect(privateKey ?? ssh.PrivateKey),
            PublicKey = "ssh-ed25519 test",
            Fingerprint = "test",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.PrivateKeys.Add(key);
        await db.SaveChangesAsync();
        var server = new Server
        {
            Uuid = PublicId.New(),
            TeamId = Team.RootId,
            Name = "ssh-" + PublicId.New()[..6],
            Ip = ssh.Host,
            Port = port ?? ssh.Port,
            User = ssh.User,
            PrivateKeyId = key.Id,
            HostKeyFingerprint = hostKeyFingerprint,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Servers.Add(server);
        await db.SaveChangesAsync();
        return server;
    }

    public async Task<Server> LocalhostAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Servers.SingleAsync(s => s.IsLocalhost);
    }

    public async Task<Server> ReloadAsync(Server server)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Servers.AsNoTracking().SingleAsync(s => s.Id == server.Id);
    }

    public async Task SetHostKeyFingerprintAsync(Server server, string? fingerprint)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        await db.Servers.Where(s => s.Id == server.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.HostKeyFingerprint, fingerprint));
    }

    /// <summary>A valid private key that no authorized_keys file lists.</summary>
    public static string UnknownPrivateKey()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDir, recursive: true);
    }
}
