namespace Slipway.Infrastructure.Execution;

/// <summary>
/// The server presented a host key other than the one recorded on first connection: either it was reinstalled
/// or someone is in the middle. Slipway refuses to talk to it until the recorded fingerprint is cleared.
/// </summary>
public sealed class SshHostKeyMismatchException(SshEndpoint endpoint, string expected, string actual)
    : Exception($"host key for {endpoint.ServerName} ({endpoint}) changed: expected {expected}, got {actual}")
{
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}
