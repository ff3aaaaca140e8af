using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;

namespace Slipway.Cli.Admin;

/// <summary>Direct database access for the admin commands (teams, tokens), which work with or without a running server.</summary>
internal static class AdminServices
{
    public static async Task<ServiceProvider> OpenAsync(SlipwayDataOptions options, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSlipwayData(options);
        var provider = services.BuildServiceProvider();
        // On a brand-new data directory this is the first start: it creates the root team and prints its token.
        var rootToken = await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        if (rootToken is not null)
        {
            await Console.Out.WriteLineAsync($"Root API token: {rootToken}");
        }

        return provider;
    }
}
