namespace Slipway.Api.Features.Previews;

/// <summary>
/// Preview settings (<c>Slipway:Previews</c>). On host networking every container shares the host's ports, so each
/// preview gets its own port from this range, unique per server and never a port an application on that server
/// exposes. The defaults keep clear of Linux's ephemeral range (32768–60999).
/// </summary>
public sealed class PreviewOptions
{
    public const string SectionName = "Slipway:Previews";

    /// <summary>First port handed to previews (default 20000).</summary>
    public int PortRangeStart { get; set; } = 20000;

    /// <summary>Last port handed to previews, inclusive (default 20999).</summary>
    public int PortRangeEnd { get; set; } = 20999;

    /// <summary>How long closing a preview waits for its running deployment to stop and undo its work (default 60 s).</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
