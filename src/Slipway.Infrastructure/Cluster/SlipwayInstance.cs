namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// One running <c>slipway serve</c> process sharing the database: a row per lease generation. The instance renews
/// <see cref="LeaseExpiresMs"/> (database clock, Unix milliseconds) on every heartbeat; once it lies in the past the
/// instance is dead for everyone, itself included, and another instance takes over its work.
/// </summary>
public sealed class SlipwayInstance
{
    /// <summary>The lease generation: a new one each time an instance starts or rejoins after losing its lease.</summary>
    public long Generation { get; set; }

    /// <summary><c>{host}:{data directory}</c> unless configured; one process per name (a lock file in the data directory).</summary>
    public required string Name { get; set; }

    /// <summary>The machine it runs on: only instances on the localhost server's machine run that server's work.</summary>
    public required string MachineId { get; set; }

    /// <summary>Where this instance keeps the localhost server's work directories (its data directory's <c>work</c>).</summary>
    public string? WorkRoot { get; set; }

    public string? Version { get; set; }
    public DateTime StartedAt { get; set; }
    public long HeartbeatMs { get; set; }
    public long LeaseExpiresMs { get; set; }

    /// <summary>Set when the instance stopped cleanly (its runs were ended, nothing to take over).</summary>
    public DateTime? StoppedAt { get; set; }
}
