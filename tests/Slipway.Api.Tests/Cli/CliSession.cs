using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Deployments;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// Runs client commands of the real <c>slipway</c> binary against one server, with a config directory of its own
/// (never the user's) and, unless told otherwise, <c>SLIPWAY_URL</c>/<c>SLIPWAY_TOKEN</c> pointing at the server.
/// </summary>
internal sealed class CliSession : IDisposable
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
        return await process.WaitForExitAsync(SlipwayExecutable.CommandTimeout);
    }

    /// <summary>The visible (not hidden) outputs of a deployment's stored log, oldest first: what the CLI must print.</summary>
    public static async Task<List<string>> StoredOutputsAsync(ApiFactory factory, string deploymentUuid, bool includeHidden = false)
    {
        await using var db = factory.CreateDbContext();
        var id = await db.Deployments.Where(d => d.Uuid == deploymentUuid).Select(d => d.Id).SingleAsync();
        return await db.DeploymentLogEntries.Where(e => e.DeploymentId == id && (includeHidden || !e.Hidden))
            .OrderBy(e => e.Order).Select(e => e.Output).ToListAsync();
    }

    /// <summary>What the CLI prints for these lines: each followed by a newline, nothing else.</summary>
    public static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    public static async Task<Deployment> DeploymentAsync(ApiFactory factory, string deploymentUuid)
    {
        await using var db = factory.CreateDbContext();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Uuid == deploymentUuid);
    }

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
