using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Secrets;
using Slipway.Infrastructure.Users;

namespace Slipway.Api;

/// <summary>
/// Migrates the database before anything else starts (refusing one migrated by a newer Slipway), prepares the
/// key ring kept in the database on PostgreSQL and, on the very first start, prints the root token: the only time
/// its secret is shown. While nobody can sign in to the dashboard yet, it also prints a one-time setup URL (once,
/// with the address the server listens on) that creates the first owner.
/// </summary>
internal sealed class StartupInitializer(DatabaseInitializer initializer, IServiceProvider services, IServer server, IHostApplicationLifetime lifetime)
    : IHostedService
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

        // Resolved after the migrations: the setup tokens live in the database.
        if (await services.GetRequiredService<SetupTokens>().IssueAsync(cancellationToken) is { } setup)
        {
            // Hosted services start before the server binds: the address is known once the application has started.
            lifetime.ApplicationStarted.Register(() =>
            {
                Console.Out.WriteLine($"Dashboard setup URL (creates the first owner; works once): {BaseAddress()}/setup?token={setup}");
                Console.Out.Flush();
            });
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string BaseAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:8000";
        // A wildcard binding is not somewhere a browser can go; this machine is.
        return address.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
