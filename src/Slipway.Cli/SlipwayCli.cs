using System.CommandLine;
using Slipway.Cli.Admin;

namespace Slipway.Cli;

/// <summary>The <c>slipway</c> command: <c>serve</c> runs the server; the other commands administer or call it.</summary>
public static class SlipwayCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Slipway: self-hosted deployments with a Coolify-compatible API.");
        root.Add(ServeCommand.Build());
        root.Add(TeamsCommand.Build());
        root.Add(TokensCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await Build().Parse(args).InvokeAsync();
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: {ex.Message}");
            return ex.ExitCode;
        }
    }
}
