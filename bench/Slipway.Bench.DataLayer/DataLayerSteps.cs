using Microsoft.EntityFrameworkCore;
using Slipway.Infrastructure.Data;

namespace Slipway.Bench.DataLayer;

/// <summary>How much of Slipway's data layer the host does; each step does everything the one before it does.</summary>
public enum DataLayerStep
{
    /// <summary>No data layer: the host, the two endpoints and the idle trim.</summary>
    Bare,

    /// <summary><c>AddSlipwayData</c> registered, nothing resolved (its hosted services are left out until <see cref="Services"/>).</summary>
    Registered,

    /// <summary>At start, one context taken from the pooled factory and given back.</summary>
    Context,

    /// <summary>…and one raw statement through it (<c>SELECT 1</c>): EF Core's relational services and the model.</summary>
    Statement,

    /// <summary>…and one LINQ query (<c>Teams.AnyAsync</c>): the query pipeline compiles its first query.</summary>
    Query,

    /// <summary>Instead of the above, the real start-up: <see cref="DatabaseInitializer"/> (migrations check, root team).</summary>
    Initializer,

    /// <summary>…and the data layer's own hosted services run (the SQLite change watcher, log retention).</summary>
    Services,

    /// <summary>…and each request does the list's data work: the token check and the list's query, as Slipway's does.</summary>
    Reads,
}

public static class DataLayerSteps
{
    public static DataLayerStep Parse(string? value) =>
        Enum.TryParse<DataLayerStep>(value, ignoreCase: true, out var step) && Enum.IsDefined(step)
            ? step
            : throw new ArgumentException($"SLIPWAY_BENCH_STEP must be one of {string.Join(", ", Enum.GetNames<DataLayerStep>())}; it was '{value}'.");

    public static async Task StartAsync(DataLayerStep step, IServiceProvider services)
    {
        if (step >= DataLayerStep.Initializer)
        {
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
            return;
        }

        if (step < DataLayerStep.Context)
        {
            return;
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync();
        if (step >= DataLayerStep.Statement)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1");
        }

        if (step >= DataLayerStep.Query && !await db.Teams.AnyAsync())
        {
            throw new InvalidOperationException("The data directory has no team: seed it first (bench/idle-rss.sh does).");
        }
    }
}
