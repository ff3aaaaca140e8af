using Npgsql;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// A fresh database for one test fixture: a SQLite file in a temporary directory, or — when the test command
/// sets <c>SLIPWAY_TEST_DATABASE=postgres</c> — a new database on the PostgreSQL server it started
/// (<c>SLIPWAY_TEST_POSTGRES</c>). A missing server is a loud failure, never a silent fallback to SQLite.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;

    private TestDatabase(string dataDir, string provider, string? connectionString, string? postgresAdmin, string? postgresName)
    {
        DataDir = dataDir;
        Provider = provider;
        ConnectionString = connectionString;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
    }

    public string DataDir { get; }
    public string Provider { get; }
    public string? ConnectionString { get; }

    /// <summary>
    /// The trait of a test whose outcome does not depend on the database a pass selects (it uses none, its own, or
    /// tests something the database takes no part in): run once, in the SQLite pass. test.sh's PostgreSQL pass
    /// leaves these out (<c>--filter-not-trait Database=any</c>), so its minutes go to what the database decides.
    /// </summary>
    public const string TraitName = "Database";

    /// <inheritdoc cref="TraitName"/>
    public const string AnyDatabase = "any";

    public static bool UsePostgres =>
        string.Equals(Environment.GetEnvironmentVariable("SLIPWAY_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static async Task<TestDatabase> CreateAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "slipway-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        return UsePostgres ? await CreatePostgresAsync(dataDir) : new TestDatabase(dataDir, "sqlite", null, null, null);
    }

    /// <summary>A new PostgreSQL database whatever the pass, for what exists only there (several instances' key ring).</summary>
    public static Task<TestDatabase> CreatePostgresAsync() =>
        CreatePostgresAsync(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "slipway-tests", Guid.NewGuid().ToString("N"))).FullName);

    private static async Task<TestDatabase> CreatePostgresAsync(string dataDir)
    {
        var admin = Environment.GetEnvironmentVariable("SLIPWAY_TEST_POSTGRES")
            ?? throw new InvalidOperationException("A PostgreSQL test database needs SLIPWAY_TEST_POSTGRES (an admin connection string): run the tests with ./test.sh.");
        var name = "slipway_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(Unpooled(admin)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(dataDir, "postgres", builder.ConnectionString, admin, name);
    }

    /// <summary>The admin statements' sessions are not pooled: a pooled one would outlive a PostgreSQL restart.</summary>
    private static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is not null && _postgresName is not null)
        {
            // No ClearAllPools: it empties every pool in the process, so a test still running in parallel lost the
            // pooled session it was reusing. DROP ... WITH (FORCE) ends this database's sessions; the pools that held
            // them are keyed by its unique name and never asked for a connection again.
            await using var connection = new NpgsqlConnection(Unpooled(_postgresAdmin));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
