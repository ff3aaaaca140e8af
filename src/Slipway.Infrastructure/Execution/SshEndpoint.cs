namespace Slipway.Infrastructure.Execution;

/// <summary>
/// Everything needed to open an SSH connection to one server, including its decrypted private key. Two endpoints
/// are equal when every setting is, so an edited server (new address, port, user or key) gets a new connection.
/// </summary>
public sealed record SshEndpoint(long ServerId, string ServerName, string Host, int Port, string User, string PrivateKey)
{
    /// <summary>For logs and errors, e.g. <c>root@203.0.113.5:22</c>. Never includes the key.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}";
}
