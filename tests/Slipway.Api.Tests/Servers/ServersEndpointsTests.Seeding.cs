using System.Net;
using System.Text.Json;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Common;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Servers;

namespace Slipway.Api.Tests.Servers;

/// <summary>Rows and reads the server tests share.</summary>
public sealed partial class ServersEndpointsTests
{
    private static string NextIp()
    {
        var n = Interlocked.Increment(ref _lastIp);
        return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    private async Task<JsonElement> GetServerAsync(string uuid)
    {
        var response = await factory.RootClient().GetAsync($"/api/v1/servers/{uuid}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>A key row without real material: these tests are about servers, not key parsing.</summary>
    private async Task<PrivateKey> SeedKeyAsync(long teamId = 0)
    {
        await using var db = factory.CreateDbContext();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var key = new PrivateKey
        {
            Uuid = PublicId.New(),
            TeamId = teamId,
            Name = "key",
            ProtectedPrivateKey = "protected",
            PublicKey = "ssh-ed25519 AAAA",
            Fingerprint = "SHA256:test",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.PrivateKeys.Add(key);
        await db.SaveChangesAsync(Ct);
        return key;
    }

    private async Task<Server> SeedRemoteAsync(long teamId, bool reachable = false)
    {
        var key = await SeedKeyAsync(teamId);
        await using var db = factory.CreateDbContext();
        var now = Timestamps.Truncate(DateTime.UtcNow);
        var server = new Server
        {
            Uuid = PublicId.New(),
            TeamId = teamId,
            Name = "remote",
            Ip = NextIp(),
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
}
