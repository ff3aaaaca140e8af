namespace Slipway.Core.Execution;

/// <summary>One HTTP request for a health check, addressed as seen from the server (e.g. a container IP).</summary>
public sealed record HttpProbe(string Scheme, string Address, int Port, string Path, string Method, string HostHeader, TimeSpan Timeout);

/// <summary>The answer: a status code and the start of the body, or why there was none.</summary>
public sealed record HttpProbeResult(int? StatusCode, string Body, string? Error);

/// <summary>
/// Sends health-check requests from Slipway itself — directly for this machine, through an SSH tunnel for
/// others — so a check needs no curl or wget inside the image and no shell anywhere.
/// </summary>
public interface IHttpProber
{
    Task<HttpProbeResult> ProbeAsync(Servers.Server server, HttpProbe probe, CancellationToken cancellationToken);
}
