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
            // System.CommandLine's default handler would catch everything first and print "Unhandled exception:"
            // with a stack trace, so the handlers below would never run.
            return await Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an environment failure: the ERROR line first, then the details the default handler used to print.
            await Console.Error.WriteLineAsync($"ERROR: {ex.Message}");
            await Console.Error.WriteLineAsync(ex.ToString());
            return 1;
        }
    }
}
