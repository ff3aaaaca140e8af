using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Users;
using Slipway.Infrastructure.Users;

namespace Slipway.Cli.Admin;

/// <summary>
/// <c>slipway users create</c> and <c>users reset-password</c>: dashboard accounts, on the data directory, with or
/// without a running server. The password is read from standard input (one line), never from a flag a process
/// list or shell history would show.
/// </summary>
internal static class UsersCommand
{
    public static Command Build()
    {
        var users = new Command("users", "Manage the dashboard's users.");
        users.Add(Create());
        users.Add(ResetPassword());
        return users;
    }

    private static Command Create()
    {
        var data = new DataOptions();
        var email = new Option<string>("--email") { Description = "The user's e-mail address (they sign in with it).", Required = true };
        var team = new Option<long>("--team") { Description = "Team id (default 0, the root team).", DefaultValueFactory = _ => 0 };
        var role = new Option<string>("--role")
        {
            Description = $"One of {string.Join(", ", UserRoles.All)} (default {UserRoles.Member}).",
            DefaultValueFactory = _ => UserRoles.Member,
        };
        var command = new Command("create", "Create a user; the password is read from standard input. Prints the user's id.");
        command.Add(email);
        command.Add(team);
        command.Add(role);
        data.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var password = await ReadPasswordAsync(cancellationToken);
            await using var services = await AdminServices.OpenAsync(data.Resolve(result), cancellationToken);
            var outcome = await services.GetRequiredService<UserService>()
                .CreateAsync(result.GetValue(team), result.GetRequiredValue(email), password, result.GetValue(role) ?? UserRoles.Member, cancellationToken);
            if (outcome.User is null)
            {
                throw new CliException($"{outcome.Field}: {outcome.Error}", 4);
            }

            await Console.Out.WriteLineAsync(outcome.User.Id.ToString(CultureInfo.InvariantCulture));
            return 0;
        });
        return command;
    }

    private static Command ResetPassword()
    {
        var data = new DataOptions();
        var email = new Option<string>("--email") { Description = "The user's e-mail address.", Required = true };
        var command = new Command("reset-password", "Set a user's password (read from standard input) and end all their sessions.");
        command.Add(email);
        data.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var password = await ReadPasswordAsync(cancellationToken);
            await using var services = await AdminServices.OpenAsync(data.Resolve(result), cancellationToken);
            var outcome = await services.GetRequiredService<UserService>().ResetPasswordAsync(result.GetRequiredValue(email), password, cancellationToken);
            if (outcome.User is null)
            {
                throw new CliException($"{outcome.Field}: {outcome.Error}", 4);
            }

            await Console.Out.WriteLineAsync($"Password of {outcome.User.Email} changed; their sessions are ended.");
            return 0;
        });
        return command;
    }

    /// <summary>The first line of standard input, without its line ending.</summary>
    private static async Task<string> ReadPasswordAsync(CancellationToken cancellationToken)
    {
        var line = await Console.In.ReadLineAsync(cancellationToken);
        return string.IsNullOrEmpty(line) ? throw new CliException("Give the password on standard input, for example: read -rs P; printf '%s\\n' \"$P\" | slipway users ...", 4) : line;
    }
}
