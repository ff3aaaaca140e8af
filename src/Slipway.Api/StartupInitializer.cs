using Slipway.Infrastructure.Data;

namespace Slipway.Api;

/// <summary>
/// Migrates the database before anything else starts and, on the very first start, prints the root token:
/// the only time its secret is shown.
/// </summary>
internal sealed class StartupInitializer(DatabaseInitializer initializer) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rootToken = await initializer.InitializeAsync(cancellationToken);
        if (rootToken is not null)
        {
            await Console.Out.WriteLineAsync($"Root API token: {rootToken}");
            await Console.Out.FlushAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
