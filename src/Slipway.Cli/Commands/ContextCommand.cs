using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;
using Slipway.Cli.Config;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands;

/// <summary><c>slipway context add|use|list</c>: the servers the client commands talk to, kept in the user's config file.</summary>
internal static class ContextCommand
{
    public static Command Build()
    {
        var context = new Command("context", "Manage the servers the client commands talk to (SLIPWAY_URL and SLIPWAY_TOKEN override them).");
        context.Add(Add());
        context.Add(Use());
        context.Add(List());
        return context;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "A name for the server, e.g. prod." };
        var url = new Option<string>("--url") { Description = "The server's address, e.g. https://slipway.example.com.", Required = true };
        var token = new Option<string>("--token") { Description = "An API token (id|secret) for that server.", Required = true };
        var command = new Command("add", "Add (or replace) a server; the first one added becomes the current one.") { name, url, token };
        command.SetAction(result =>
        {
            var contextName = result.GetRequiredValue(name).Trim();
            if (contextName.Length is 0 or > 64 || contextName.Any(char.IsControl))
            {
                throw new CliException("A context name is 1 to 64 printable characters.", ExitCodes.Usage);
            }

            var address = result.GetRequiredValue(url).Trim().TrimEnd('/');
            if (ServerTarget.ApiBaseOf(address) is null)
            {
                throw new CliException($"--url {address} is not an http(s) URL.", ExitCodes.Usage);
            }

            var secret = result.GetRequiredValue(token).Trim();
            if (secret.Length == 0 || secret.Any(char.IsWhiteSpace))
            {
                throw new CliException("--token must be a token without spaces.", ExitCodes.Usage);
            }

            var store = ContextStore.Default();
            var config = store.Load();
            var replaced = config.Contexts.ContainsKey(contextName);
            config.Contexts[contextName] = new ContextEntry(address, secret);
            config.CurrentContext ??= contextName;
            store.Save(config);
            var current = config.CurrentContext == contextName ? "; it is the current context" : $"; use it with 'slipway context use {contextName}'";
            Console.Out.WriteLine($"{(replaced ? "Replaced" : "Added")} context '{contextName}' ({address}){current}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Use()
    {
        var name = new Argument<string>("name") { Description = "The context to use from now on." };
        var command = new Command("use", "Make a context the current one.") { name };
        command.SetAction(result =>
        {
            var contextName = result.GetRequiredValue(name).Trim();
            var store = ContextStore.Default();
            var config = store.Load();
            if (!config.Contexts.TryGetValue(contextName, out var chosen))
            {
                var known = config.Contexts.Count == 0 ? "there are none yet" : $"known: {string.Join(", ", config.Contexts.Keys)}";
                throw new CliException($"No context '{contextName}' ({known}).", ExitCodes.Usage);
            }

            config.CurrentContext = contextName;
            store.Save(config);
            Console.Out.WriteLine($"Using context '{contextName}' ({chosen.Url}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var output = ClientCommand.OutputOption();
        var command = new Command("list", "List the contexts (never their tokens).") { output };
        command.SetAction(result =>
        {
            var config = ContextStore.Default().Load();
            if (ClientCommand.IsJson(result, output))
            {
                var array = new JsonArray(config.Contexts
                    .Select(c => (JsonNode)new JsonObject { ["name"] = c.Key, ["url"] = c.Value.Url, ["current"] = c.Key == config.CurrentContext })
                    .ToArray());
                Console.Out.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                return ExitCodes.Success;
            }

            Table.Print(["CURRENT", "NAME", "URL"], config.Contexts.Select(c => new[] { c.Key == config.CurrentContext ? "*" : "", c.Key, c.Value.Url }));
            return ExitCodes.Success;
        });
        return command;
    }
}
