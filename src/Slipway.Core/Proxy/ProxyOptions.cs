namespace Slipway.Core.Proxy;

/// <summary>Engine-wide proxy settings (configuration section <c>Slipway:Proxy</c>); per-server ones are in <see cref="ServerProxy"/>.</summary>
public sealed class ProxyOptions
{
    /// <summary>The proxy container's name on every server (default <c>slipway-proxy</c>); tests sharing one Docker engine set their own.</summary>
    public string ContainerName { get; set; } = "slipway-proxy";

    /// <summary>The volume for certificates and Caddy's autosaved config (default <c>{ContainerName}-data</c>).</summary>
    public string? VolumeName { get; set; }

    /// <summary>How long a started proxy may take before its admin API answers (default 30 s).</summary>
    public TimeSpan AdminReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request to the admin API may take (default 15 s).</summary>
    public TimeSpan AdminRequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a deployment waits for its HTTPS domains' certificates before it logs them as still pending (default 30 s).</summary>
    public TimeSpan CertificateWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a pending certificate is asked for again while a deployment waits (default 1 s).</summary>
    public TimeSpan CertificatePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public string Volume => string.IsNullOrEmpty(VolumeName) ? ContainerName + "-data" : VolumeName;
}
