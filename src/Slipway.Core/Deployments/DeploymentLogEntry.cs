namespace Slipway.Core.Deployments;

/// <summary>
/// One line of a deployment's log: append-only, numbered by <see cref="Order"/> from 1. Coolify's <c>logs</c>
/// string is rendered from these rows on read instead of being rewritten on every append.
/// </summary>
public sealed class DeploymentLogEntry
{
    public long Id { get; set; }
    public long DeploymentId { get; set; }
    public int Order { get; set; }

    /// <summary><c>stdout</c> or <c>stderr</c>.</summary>
    public required string Type { get; set; }

    public required string Output { get; set; }

    /// <summary>The (redacted) command that produced the line, or null for Slipway's own messages.</summary>
    public string? Command { get; set; }

    /// <summary>A debug line clients show only on request.</summary>
    public bool Hidden { get; set; }

    public int Batch { get; set; } = 1;
    public DateTime Timestamp { get; set; }
}
