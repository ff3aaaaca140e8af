using System.Collections.Concurrent;
using System.Diagnostics;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>A key pair made by the machine's <c>ssh-keygen</c>, with what ssh-keygen itself says about it.</summary>
public sealed record TestSshKey(string PrivateKey, string PublicKey, string Fingerprint);

/// <summary>Generates real SSH keys at test time, so no key material is checked into the repository.</summary>
public static class TestSshKeys
{
    // ssh-keygen needs seconds for an RSA key on a slow machine; one key per kind and test run is enough.
    private static readonly ConcurrentDictionary<string, Task<TestSshKey>> Generated = new();

    public static Task<TestSshKey> GenerateAsync(string type, string? passphrase = null, string? format = null) =>
        Generated.GetOrAdd($"{type}|{passphrase}|{format}", _ => CreateAsync(type, passphrase, format));

    /// <summary>A second, different key of the same kind (for "the key was replaced" tests).</summary>
    public static Task<TestSshKey> GenerateOtherAsync(string type) =>
        Generated.GetOrAdd($"{type}|other", _ => CreateAsync(type, null, null));

    private static async Task<TestSshKey> CreateAsync(string type, string? passphrase, string? format)
    {
        var dir = Path.Combine(Path.GetTempPath(), "slipway-keys", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "id");
            var args = new List<string> { "-q", "-t", type, "-N", passphrase ?? string.Empty, "-C", "slipway-test", "-f", path };
            if (format is not null)
            {
                args.AddRange(["-m", format]);
            }

            await RunAsync(args);
            var publicLine = (await File.ReadAllTextAsync(Path.Combine(dir, "id.pub"))).Trim().Split(' ');
            var listing = (await RunAsync(["-l", "-E", "sha256", "-f", path + ".pub"])).Split(' ');
            return new TestSshKey(await File.ReadAllTextAsync(path), $"{publicLine[0]} {publicLine[1]}", listing[1]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ssh-keygen did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"ssh-keygen failed: {error}");
    }
}
