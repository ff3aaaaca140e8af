using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Secrets;

namespace Slipway.Api;

/// <summary>
/// Migrates the database before anything else starts (refusing one migrated by a newer Slipway), prepares the
/// key ring kept in the database on PostgreSQL and, on the very first start, prints the root token: the only time
/// its secret is shown.
/// </summary>
internal sealed class StartupInitializer(DatabaseInitializer initializer, IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rootToken = await initializer.InitializeAsync(cancellationToken);
        if (services.GetService<DatabaseKeyRing>() is { } keyRing)
        {
            await keyRing.InitializeAsync(cancellationToken);
        }

        if (rootToken is not null)
        {
            await Console.Out.WriteLineAsync($"Root API token: {rootToken}");
            await Console.Out.FlushAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
