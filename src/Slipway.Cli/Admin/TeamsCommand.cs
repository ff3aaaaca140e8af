using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Validation;
using Slipway.Infrastructure.Teams;

namespace Slipway.Cli.Admin;

internal static class TeamsCommand
{
    public static Command Build()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Description = "The team's name.", Required = true };
        var create = new Command("create", "Create a team and print its id.");
        create.Add(name);
        data.AddTo(create);
        create.SetAction(async (result, cancellationToken) =>
        {
            var teamName = result.GetRequiredValue(name);
            if (TextRules.CheckName(teamName, "name") is { } error)
            {
                throw new CliException(error, 4);
            }

            await using var services = await AdminServices.OpenAsync(data.Resolve(result), cancellationToken);
            var team = await services.GetRequiredService<TeamService>().CreateAsync(teamName.Trim(), cancellationToken);
            await Console.Out.WriteLineAsync(team.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        });

        var teams = new Command("teams", "Manage teams.");
        teams.Add(create);
        return teams;
    }
}
