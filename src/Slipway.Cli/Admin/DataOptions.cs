using System.CommandLine;
using Slipway.Infrastructure;

namespace Slipway.Cli.Admin;

/// <summary>
/// <c>--data-dir</c>, <c>--database</c> and <c>--postgres</c>, shared by <c>serve</c> and the admin commands.
/// Flags win over <c>SLIPWAY_DATA_DIR</c>, <c>SLIPWAY_DATABASE</c> and <c>SLIPWAY_POSTGRES</c>, which win over the defaults.
/// </summary>
internal sealed class DataOptions
{
    public Option<string?> DataDir { get; } = new("--data-dir") { Description = "Directory for the SQLite file, keys and work directories (default ./data; SLIPWAY_DATA_DIR)." };
    public Option<string?> Database { get; } = new("--database") { Description = "sqlite (default) or postgres (SLIPWAY_DATABASE)." };
    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string (SLIPWAY_POSTGRES)." };

    public void AddTo(Command command)
    {
        command.Add(DataDir);
        command.Add(Database);
        command.Add(Postgres);
    }

    public SlipwayDataOptions Resolve(ParseResult result)
    {
        var options = new SlipwayDataOptions
        {
            DataDir = result.GetValue(DataDir) ?? Env("SLIPWAY_DATA_DIR") ?? "./data",
            Database = result.GetValue(Database) ?? Env("SLIPWAY_DATABASE") ?? SlipwayDataOptions.Sqlite,
            PostgresConnectionString = result.GetValue(Postgres) ?? Env("SLIPWAY_POSTGRES"),
        };
        try
        {
            options.Validate();
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ex.Message, 4);
        }

        return options;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
