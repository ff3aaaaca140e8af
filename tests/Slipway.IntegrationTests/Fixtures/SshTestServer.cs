namespace Slipway.IntegrationTests.Fixtures;

/// <summary>
/// The real sshd the SSH tests run against, described by environment variables that the test command exports
/// after starting it on 127.0.0.1 with key-only authentication. Missing variables fail the tests loudly: an SSH
/// test that silently skips proves nothing.
/// </summary>
internal sealed record SshTestServer(string Host, int Port, string User, string PrivateKey)
{
    private static readonly string[] Variables = ["SLIPWAY_TEST_SSH_HOST", "SLIPWAY_TEST_SSH_PORT", "SLIPWAY_TEST_SSH_USER", "SLIPWAY_TEST_SSH_KEY"];

    public static SshTestServer FromEnvironment()
    {
        var missing = Variables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The SSH integration tests need a real sshd and are not skipped without one. Missing: {string.Join(", ", missing)}. " +
                "Run ./test.sh (it starts sshd on 127.0.0.1:2222 with key-only auth and exports SLIPWAY_TEST_SSH_HOST, _PORT, _USER and _KEY), " +
                "or start your own sshd as /work/shared/ENVIRONMENT.md describes and export them yourself.");
        }

        var host = Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_HOST")!;
        if (host is not ("127.0.0.1" or "localhost" or "::1"))
        {
            throw new InvalidOperationException($"SLIPWAY_TEST_SSH_HOST must be a loopback address; tests never contact {host}.");
        }

        var port = int.Parse(Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_PORT")!, System.Globalization.CultureInfo.InvariantCulture);
        var key = Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_KEY")!;
        // The variable may hold the key itself or the path of the key file.
        var privateKey = key.Contains("-----BEGIN", StringComparison.Ordinal) ? key : File.ReadAllText(key);
        return new SshTestServer(host, port, Environment.GetEnvironmentVariable("SLIPWAY_TEST_SSH_USER")!, privateKey);
    }
}
