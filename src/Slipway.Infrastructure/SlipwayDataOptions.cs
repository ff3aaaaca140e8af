namespace Slipway.Infrastructure;

/// <summary>Where Slipway keeps its state. Bound from the <c>Slipway</c> configuration section.</summary>
public sealed class SlipwayDataOptions
{
    public const string SectionName = "Slipway";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>Directory for the SQLite file, Data Protection keys and work directories. Default <c>./data</c>.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Database { get; set; } = Sqlite;

    /// <summary>Npgsql connection string, required when <see cref="Database"/> is <c>postgres</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// Encrypts the Data Protection keys kept in the database (PostgreSQL): <c>SLIPWAY_MASTER_KEY</c>, the same for
    /// every instance, at least 32 characters. Never written anywhere by Slipway.
    /// </summary>
    public string? MasterKey { get; set; }

    public string FullDataDir => Path.GetFullPath(DataDir);

    public string SqlitePath => Path.Combine(FullDataDir, "slipway.db");

    public bool UsesPostgres => string.Equals(Database, Postgres, StringComparison.OrdinalIgnoreCase);

    public void Validate()
    {
        if (!string.Equals(Database, Sqlite, StringComparison.OrdinalIgnoreCase) && !UsesPostgres)
        {
            throw new InvalidOperationException($"Unknown database '{Database}': use 'sqlite' or 'postgres'.");
        }

        if (UsesPostgres && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            throw new InvalidOperationException("The postgres database needs a connection string (--postgres or SLIPWAY_POSTGRES).");
        }
    }
}
