namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// How instances sharing one database find out about each other. Bound from <c>Slipway:Cluster</c>; the defaults
/// suit production (a 30 s lease renewed every 5 s), tests shorten them.
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Slipway:Cluster";

    /// <summary>
    /// How long an instance's lease lasts after each renewal (default 30 s). An instance that has not renewed for this
    /// long is dead to the others: within this time (plus the time to notice, well under a second) another instance
    /// fails its running deployments and runs its queued ones.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the lease is renewed (default 5 s, a sixth of the lease): a PostgreSQL restart shorter than
    /// <c>Lease - Heartbeat - Lease/10</c> (24 s by default) fences nothing.
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>This instance's name; default <c>{host name}:{data directory}</c>. One process per name.</summary>
    public string? InstanceName { get; set; }

    /// <summary>
    /// The machine this instance runs on (<c>SLIPWAY_MACHINE_ID</c>); default <c>/etc/machine-id</c>, else the host name.
    /// Only instances on the machine the <c>localhost</c> server was bound to run that server's deployments.
    /// </summary>
    public string? MachineId { get; set; }

    /// <summary>The margin kept between the lease as this instance counts it and as the database does.</summary>
    public TimeSpan SafetyMargin => Lease / 10;

    public void Validate()
    {
        if (Lease < TimeSpan.FromSeconds(1) || Heartbeat <= TimeSpan.Zero || Heartbeat > Lease / 2)
        {
            throw new InvalidOperationException(
                $"Slipway:Cluster: the lease ({Lease}) must be at least 1 s and the heartbeat ({Heartbeat}) at most half of it.");
        }
    }

    public string ResolveMachineId()
    {
        if (!string.IsNullOrWhiteSpace(MachineId))
        {
            return MachineId.Trim();
        }

        try
        {
            var id = File.Exists("/etc/machine-id") ? File.ReadAllText("/etc/machine-id").Trim() : string.Empty;
            return id.Length > 0 ? id : Environment.MachineName;
        }
        catch (IOException)
        {
            return Environment.MachineName;
        }
    }
}
