using Microsoft.EntityFrameworkCore;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Trust on first use: the fingerprint of a server's host key is read before every connection and recorded in
/// <c>servers.host_key_fingerprint</c> the first time. Fingerprints are written as OpenSSH prints them
/// (<c>SHA256:</c> and unpadded base64), so they can be compared with <c>ssh-keygen -lf</c> by eye.
/// </summary>
internal sealed class HostKeyStore(IDbContextFactory<SlipwayDbContext> contexts)
{
    public const string Sha256Prefix = "SHA256:";

    public async Task<string?> LoadAsync(long serverId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Servers.Where(s => s.Id == serverId).Select(s => s.HostKeyFingerprint).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Records the fingerprint unless one is already there; returns the fingerprint now stored.</summary>
    public async Task<string?> RecordAsync(long serverId, string fingerprint, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Conditional, so two first connections racing (SSH and SFTP) cannot overwrite each other's record.
        await db.Servers
            .Where(s => s.Id == serverId && s.HostKeyFingerprint == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.HostKeyFingerprint, fingerprint), cancellationToken);
        return await db.Servers.Where(s => s.Id == serverId).Select(s => s.HostKeyFingerprint).FirstOrDefaultAsync(cancellationToken);
    }
}
