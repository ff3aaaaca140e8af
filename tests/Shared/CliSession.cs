namespace Slipway.Testing;

/// <summary>
/// Runs client commands of the real <c>slipway</c> binary against one server, with a config directory of its own
/// (never the user's) and, unless told otherwise, <c>SLIPWAY_URL</c>/<c>SLIPWAY_TOKEN</c> pointing at the server.
/// The server is whatever listens at <see cref="Url"/>: an API host on a loopback port, or the engine host.
/// </summary>
internal sealed partial class CliSession : IDisposable
{
    public CliSession(string? url, string? token)
    {
        Url = url;
        Token = token;
        ConfigHome = Path.Combine(Path.GetTempPath(), "slipway-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(ConfigHome);
    }

    public string? Url { get; set; }

    public string? Token { get; set; }

    public string ConfigHome { get; }

    public string ConfigFile => Path.Combine(ConfigHome, "slipway", "config.json");

    public Dictionary<string, string?> Environment => new()
    {
        ["XDG_CONFIG_HOME"] = ConfigHome,
        ["SLIPWAY_URL"] = Url,
        ["SLIPWAY_TOKEN"] = Token,
    };

    public CliProcess Start(params string[] arguments) => CliProcess.Start(arguments, Environment);

    public async Task<CliResult> RunAsync(params string[] arguments)
    {
        await using var process = Start(arguments);
        return await process.WaitForExitAsync(CliProcess.CommandTimeout);
    }

    /// <summary>What the CLI prints for these lines: each followed by a newline, nothing else.</summary>
    public static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(ConfigHome, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
