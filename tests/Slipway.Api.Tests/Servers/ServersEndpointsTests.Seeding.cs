using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Common;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Secrets;
using Slipway.Core.Servers;

namespace Slipway.Api.Tests.Servers;

/// <summary>Rows and reads the server tests share.</summary>
public sealed partial class ServersEndpointsTests
{
    private static string NextIp()
    {
        var n = Interlocked.Increment(ref _lastIp);
        return $"198.{18 + ((n >> 16) & 1)}.{(n >> 8) & 255}.{n & 255}";
    }

    private async Task<JsonElement> GetServerAsync(string uuid, HttpClient? client = null)
    {
        var response = await (client ?? factory.RootClient()).GetAsync($"/api/v1/servers/{uuid}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>A stored key for seeded servers.</summary>
    private async Task<PrivateKey> SeedKeyAsync(long teamId = 0)
    {
        // A real key, protected as the API would store it: validation decrypts and uses it.
        var material = await TestSshKeys.GenerateAsync("ed25519");
        var protector = factory.Services.GetRequiredService<ISecretProtector>();
        await using var db = factory.CreateDbContext();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var key = new PrivateKey
        {
            Uuid = PublicId.New(),
            TeamId = teamId,
            Name = "key",
            ProtectedPrivateKey = protector.Protect(material.PrivateKey),
            PublicKey = material.PublicKey,
            Fingerprint = material.Fingerprint,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.PrivateKeys.Add(key);
        await db.SaveChangesAsync(Ct);
        return key;
    }

    /// <summary>
    /// A remote server row. Its address is a benchmark-range IP that is never contacted, unless
    /// <paramref name="loopback"/>: then it is 127.0.0.1 on a port nothing listens on, for tests that validate it.
    /// </summary>
    private async Task<Server> SeedRemoteAsync(long teamId, bool reachable = false, bool loopback = false)
    {
        var key = await SeedKeyAsync(teamId);
        await using var db = factory.CreateDbContext();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var server = new Server
        {
            Uuid = PublicId.New(),
            TeamId = teamId,
            Name = "remote",
            Ip = loopback ? "127.0.0.1" : NextIp(),
            Port = loopback ? ClosedPort() : 22,
            PrivateKeyId = key.Id,
            IsReachable = reachable,
            IsUsable = reachable,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Servers.Add(server);
        await db.SaveChangesAsync(Ct);
        return server;
    }

    /// <summary>A loopback port nothing listens on (bound, then released), so a connection is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
