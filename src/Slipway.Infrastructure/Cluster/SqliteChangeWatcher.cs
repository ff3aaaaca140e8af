using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// On SQLite the CLI (<c>slipway tokens revoke</c>) writes from another process, which sends no notification: this
/// watches <c>PRAGMA data_version</c> every <see cref="Interval"/> and, when the file changed, compares the tokens'
/// and teams' fingerprint (count and latest update), announcing a change to <see cref="CacheInvalidation"/>. A
/// revoked token is refused within about <see cref="Interval"/>.
/// </summary>
internal sealed class SqliteChangeWatcher(
    SlipwayDataOptions options, IDbContextFactory<SlipwayDbContext> contexts, CacheInvalidation caches, DatabaseInitializer initializer) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await initializer.Migrated.WaitAsync(stoppingToken);
        using var version = new SqliteDataVersion(options.SqlitePath);
        long? seen = null;
        string? fingerprint = null;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var current = version.TryRead();
            if (current is null || current == seen)
            {
                continue;
            }

            seen = current;
            try
            {
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                var tokens = await db.ApiTokens.CountAsync(stoppingToken);
                var updated = await db.ApiTokens.MaxAsync(t => (DateTime?)t.UpdatedAt, stoppingToken);
                var teams = await db.Teams.CountAsync(stoppingToken);
                var now = $"{tokens}|{updated:O}|{teams}";
                if (fingerprint is not null && now != fingerprint)
                {
                    caches.TokensChanged();
                }

                fingerprint = now;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Busy or locked: the next tick looks again (the version is re-read as changed).
                seen = null;
            }
        }
    }
}
