using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Slipway.Core.Execution;
using Slipway.Core.Secrets;
using Slipway.Core.Servers;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// The <c>localhost</c> server runs commands as local processes; any other server is reached over its pooled SSH
/// connection, authenticated with the server's private key (decrypted here, held only in memory).
/// </summary>
internal sealed class ExecutionTargets(
    LocalExecutionTarget local,
    SshConnectionPool pool,
    IDbContextFactory<SlipwayDbContext> contexts,
    ISecretProtector protector,
    ILogger<SshCommandRunner> runnerLogger) : IExecutionTargets
{
    public async Task<IExecutionTarget> GetAsync(Server server, CancellationToken cancellationToken)
    {
        if (server.IsLocalhost)
        {
            return local;
        }

        var connection = await ConnectionAsync(server, cancellationToken);
        return new SshExecutionTarget(connection, new SshCommandRunner(connection, runnerLogger));
    }

    /// <summary>The pooled SSH connection of a remote server (for tunnels as well as commands).</summary>
    public async Task<SshConnection> ConnectionAsync(Server server, CancellationToken cancellationToken) =>
        pool.Get(await EndpointAsync(server, cancellationToken));

    private async Task<SshEndpoint> EndpointAsync(Server server, CancellationToken cancellationToken)
    {
        if (server.PrivateKeyId is not { } keyId)
        {
            throw new InvalidOperationException($"Server {server.Name} has no private key: it cannot be reached over SSH.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var protectedKey = await db.PrivateKeys.Where(k => k.Id == keyId).Select(k => k.ProtectedPrivateKey).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"The private key of server {server.Name} no longer exists.");
        string key;
        try
        {
            key = protector.Unprotect(protectedKey);
        }
        catch (CryptographicException error)
        {
            throw new InvalidOperationException($"The private key of server {server.Name} cannot be decrypted (were the data protection keys replaced?).", error);
        }

        return new SshEndpoint(server.Id, server.Name, server.Ip, server.Port, server.User, key);
    }
}
