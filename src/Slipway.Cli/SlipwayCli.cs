using System.CommandLine;
using Slipway.Cli.Admin;
using Slipway.Cli.Commands;

namespace Slipway.Cli;

/// <summary>
/// The <c>slipway</c> command: <c>serve</c> runs the server; <c>teams</c> and <c>tokens</c> administer its data
/// directory; the rest are clients of a server's HTTP API (never a second engine).
/// </summary>
public static class SlipwayCli
{
    private static readonly Option<bool> Verbose = new("--verbose") { Description = "Show details (stack traces) of unexpected errors.", Recursive = true };

    public static RootCommand Build()
    {
        var root = new RootCommand("Slipway: self-hosted deployments with a Coolify-compatible API.");
        root.Add(Verbose);
        root.Add(ServeCommand.Build());
        root.Add(TeamsCommand.Build());
        root.Add(TokensCommand.Build());
        root.Add(UsersCommand.Build());
        root.Add(ContextCommand.Build());
        root.Add(DeployCommand.Build());
        root.Add(DeploymentsCommand.Build());
        root.Add(LogsCommand.Build());
        root.Add(AppsCommand.Build());
        return root;
    }

    /// <summary>
    /// The one top-level handler: a failure is one <c>ERROR:</c> line on stderr and an exit code (4 for usage
    /// errors); the stack trace of an unexpected one only with <c>--verbose</c>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await WriteErrorAsync(error.Message);
            }

            await Console.Error.WriteLineAsync($"See '{string.Join(' ', CommandPath(parse))} --help'.");
            return ExitCodes.Usage;
        }

        try
        {
            // System.CommandLine's default handler would catch everything first and print "Unhandled exception:"
            // with a stack trace, so the handlers below would never run.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException ex)
        {
            await WriteErrorAsync(ex.Message);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C.
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // A bug or an environment failure: the ERROR line, and the details when asked for.
            await WriteErrorAsync(parse.GetValue(Verbose) ? ex.Message : $"{ex.Message} (run with --verbose for details)");
            if (parse.GetValue(Verbose))
            {
                await Console.Error.WriteLineAsync(ex.ToString());
            }

            return 1;
        }
    }

    private static Task WriteErrorAsync(string message) =>
        Console.Error.WriteLineAsync(Console.IsErrorRedirected ? $"ERROR: {message}" : $"\u001b[31mERROR:\u001b[0m {message}");

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var path = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, result.Command is RootCommand ? "slipway" : result.Command.Name);
        }

        return path;
    }
}
