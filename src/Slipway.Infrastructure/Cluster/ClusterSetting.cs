namespace Slipway.Infrastructure.Cluster;

/// <summary>A fact every instance shares, by name (e.g. which machine the <c>localhost</c> server is).</summary>
public sealed class ClusterSetting
{
    public const string LocalhostMachine = "localhost_machine";

    public required string Key { get; set; }
    public required string Value { get; set; }
}
