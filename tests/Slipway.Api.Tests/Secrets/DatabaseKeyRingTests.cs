using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Secrets;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Secrets;

namespace Slipway.Api.Tests.Secrets;

/// <summary>
/// The Data Protection key ring of several instances, on a PostgreSQL database of the test server in both passes of
/// this project (instances share keys only there): a secret one instance encrypted is read by another with its own
/// data directory; keys an earlier single instance kept in its data directory are imported once, their secret part
/// encrypted with the master key; an instance given another master key cannot read them.
/// </summary>
public sealed class DatabaseKeyRingTests : IAsyncLifetime
{
    private const string MasterKey = "key-ring-test-master-key-0123456789abcdefghijklmnop";
    private readonly List<ServiceProvider> _instances = [];
    private TestDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreatePostgresAsync();

    [Fact]
    public async Task Secrets_ProtectedByOneInstance_AreReadByAnotherWithItsOwnDataDirectory()
    {
        var first = await StartAsync("first", MasterKey);
        var second = await StartAsync("second", MasterKey);
        var secret = first.GetRequiredService<ISecretProtector>().Protect("database-password");

        Assert.Equal("database-password", second.GetRequiredService<ISecretProtector>().Unprotect(secret));
        Assert.False(Directory.Exists(Path.Combine(DataDir("first"), "keys")), "A key was written to the data directory.");
        Assert.Single(await KeysAsync(first));
    }

    [Fact]
    public async Task FileKeys_OfAnEarlierSingleInstance_AreImportedOnceEncryptedWithTheMasterKey()
    {
        // What a single instance wrote before keys moved to the database: its key file, and a secret encrypted with it.
        var keysDirectory = Path.Combine(DataDir("earlier"), "keys");
        string secret;
        string keyMaterial;
        await using (var earlier = new ServiceCollection()
            .AddDataProtection().SetApplicationName("Slipway").PersistKeysToFileSystem(new DirectoryInfo(keysDirectory)).Services
            .BuildServiceProvider())
        {
            secret = earlier.GetRequiredService<IDataProtectionProvider>().CreateProtector("Slipway.Secrets.v1").Protect("registry-token");
            keyMaterial = System.Xml.Linq.XElement.Load(Directory.GetFiles(keysDirectory, "key-*.xml").Single()).Descendants("value").Single().Value;
        }

        var upgraded = await StartAsync("earlier", MasterKey);
        Assert.Equal("registry-token", upgraded.GetRequiredService<ISecretProtector>().Unprotect(secret));
        var stored = Assert.Single(await KeysAsync(upgraded));
        Assert.DoesNotContain(keyMaterial, stored, StringComparison.Ordinal);
        Assert.Contains("encryptedSecret", stored, StringComparison.Ordinal);

        // Once: a restart of that instance imports nothing more, and another instance reads the secret too.
        await StartAsync("earlier", MasterKey);
        var other = await StartAsync("other", MasterKey);
        Assert.Single(await KeysAsync(other));
        Assert.Equal("registry-token", other.GetRequiredService<ISecretProtector>().Unprotect(secret));

        // The master key is what protects the stored keys: another one cannot read them.
        var stranger = await StartAsync("stranger", "another-master-key-0123456789abcdefghijklmnopqrstuv");
        Assert.ThrowsAny<CryptographicException>(() => stranger.GetRequiredService<ISecretProtector>().Unprotect(secret));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private string DataDir(string name) => Path.Combine(_database!.DataDir, name);

    /// <summary>An instance's services on the test database with its own data directory, migrated and its key ring prepared.</summary>
    private async Task<ServiceProvider> StartAsync(string name, string masterKey)
    {
        var instance = new ServiceCollection()
            .AddLogging()
            .AddSlipwayData(new SlipwayDataOptions
            {
                DataDir = DataDir(name),
                Database = "postgres",
                PostgresConnectionString = _database!.ConnectionString,
                MasterKey = masterKey,
            })
            .BuildServiceProvider();
        _instances.Add(instance);
        await instance.GetRequiredService<DatabaseInitializer>().InitializeAsync(Ct);
        await instance.GetRequiredService<DatabaseKeyRing>().InitializeAsync(Ct);
        return instance;
    }

    private static async Task<List<string>> KeysAsync(ServiceProvider instance)
    {
        await using var db = await instance.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(Ct);
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(Ct);
    }
}
