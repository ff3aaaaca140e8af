using System.Data.Common;
using System.Security.Cryptography;
using Npgsql;

namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// How this process connects to PostgreSQL. Every session carries the setting <c>slipway.origin</c>, a random name of
/// this process, in its start-up options (a session reset keeps it): the notification triggers put it in front of
/// what they announce (<c>{origin}/{message}</c>), so <see cref="PostgresChangeListener"/> skips what this process
/// itself wrote — it told its own caches and followers already, and hearing it again woke them twice, late.
/// </summary>
public sealed class PostgresSessions
{
    public const string OriginSetting = "slipway.origin";

    public PostgresSessions(string connectionString)
    {
        Origin = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c {OriginSetting}={Origin}".Trim();
        // Pooled sessions carry no state of their own (locks and LISTEN live on the dedicated sessions), so none needs
        // the DISCARD ALL a reused pooled connection sends first, and the engine's and the API's few statements, run
        // over and over, are prepared once per session instead of parsed and planned on every call (bench/ha.sh).
        // A connection string that sets either keeps its value.
        // (The plain builder: Npgsql's answers ContainsKey for every keyword it knows, set or not.)
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        ConnectionString = builder.ConnectionString;
        // Dedicated sessions (notifications, cluster locks) live as long as the process: no pool, TCP keep-alives.
        builder.Pooling = false;
        builder.KeepAlive = 5;
        DedicatedConnectionString = builder.ConnectionString;
    }

    /// <summary>This process's name in notifications.</summary>
    public string Origin { get; }

    /// <summary>For the pooled contexts.</summary>
    public string ConnectionString { get; }

    /// <summary>For the sessions held open for the process's life (LISTEN, the cluster locks).</summary>
    public string DedicatedConnectionString { get; }
}
