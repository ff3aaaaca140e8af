using Microsoft.Extensions.DependencyInjection;
using Slipway.Infrastructure;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// Another Slipway instance on a test's database, as a second process would have it: a service provider of its own
/// (the data services only, nothing started), with a data directory of its own.
/// </summary>
internal static class TestInstances
{
    /// <summary>The master key every instance of the suite is given (PostgreSQL keeps the key ring encrypted with it).</summary>
    public const string MasterKey = "test-master-key-0123456789abcdefghijklmnopqrstuvwxyz";

    /// <param name="database">The database it shares.</param>
    /// <param name="name">Names its data directory, under the database's.</param>
    /// <param name="configure">Changes to its services, after Slipway's own.</param>
    public static ServiceProvider Create(TestDatabase database, string name, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSlipwayData(new SlipwayDataOptions
            {
                DataDir = Path.Combine(database.DataDir, name),
                Database = database.Provider,
                PostgresConnectionString = database.ConnectionString,
                MasterKey = MasterKey,
            });
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
