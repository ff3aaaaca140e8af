using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Core.Validation;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Tokens;

namespace Slipway.Cli.Admin;

internal static class TokensCommand
{
    public static Command Build()
    {
        var tokens = new Command("tokens", "Manage API tokens.");
        tokens.Add(Create());
        tokens.Add(List());
        tokens.Add(Revoke());
        return tokens;
    }

    private static Command Create()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Description = "A name to recognise the token by.", Required = true };
        var abilities = new Option<string>("--abilities")
        {
            Description = $"Comma-separated: {string.Join(", ", ApiAbilities.AllNames)}.",
            Required = true,
        };
        var team = new Option<long>("--team") { Description = "Team id (default 0, the root team).", DefaultValueFactory = _ => 0 };
        var expires = new Option<string?>("--expires-in-days") { Description = $"Days until the token expires, 1 to {TokenRules.MaxExpiryDays} (default: never)." };
        var command = new Command("create", "Create a token; its secret is printed once, alone on the last line.");
        command.Add(name);
        command.Add(abilities);
        command.Add(team);
        command.Add(expires);
        data.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            // The dashboard's rules, for an administrator at the machine (who may give any ability).
            var errors = TokenRules.Check(result.GetRequiredValue(name), [result.GetRequiredValue(abilities)], result.GetValue(expires), ApiAbility.Root, out var request);
            if (request is null)
            {
                throw new CliException(string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value}")), 4);
            }

            var teamId = result.GetValue(team);
            await using var services = await AdminServices.OpenAsync(data.Resolve(result), cancellationToken);
            await using (var db = await services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(cancellationToken))
            {
                if (!await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
                {
                    throw new CliException($"Team {teamId} does not exist.", 4);
                }
            }

            var clock = services.GetRequiredService<TimeProvider>();
            DateTime? expiresAt = request.ExpiresInDays is { } days ? clock.GetUtcNow().UtcDateTime.AddDays(days) : null;
            var (token, plain) = await services.GetRequiredService<ApiTokenService>()
                .CreateAsync(teamId, request.Name, request.Abilities, expiresAt, cancellationToken);
            await Console.Out.WriteLineAsync($"Created token {token.Id} '{token.Name}' for team {token.TeamId} with abilities {token.Abilities}.");
            await Console.Out.WriteLineAsync(plain);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var data = new DataOptions();
        var command = new Command("list", "List tokens (never their secrets).");
        data.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(data.Resolve(result), cancellationToken);
            var all = await services.GetRequiredService<ApiTokenService>().ListAsync(cancellationToken);
            await Console.Out.WriteLineAsync("ID\tTEAM\tNAME\tABILITIES\tEXPIRES\tLAST USED\tSTATE");
            foreach (var t in all)
            {
                var state = t.RevokedAt is not null ? "revoked" : t.ExpiresAt is { } e && e <= DateTime.UtcNow ? "expired" : "active";
                await Console.Out.WriteLineAsync(string.Join('\t',
                    t.Id.ToString(CultureInfo.InvariantCulture), t.TeamId.ToString(CultureInfo.InvariantCulture), t.Name, t.Abilities,
                    t.ExpiresAt is null ? "never" : Timestamps.ToWire(t.ExpiresAt.Value),
                    t.LastUsedAt is null ? "never" : Timestamps.ToWire(t.LastUsedAt.Value),
                    state));
            }

            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var data = new DataOptions();
        var id = new Argument<long>("id") { Description = "The token id (the part before '|')." };
        var command = new Command("revoke", "Revoke a token. A running server stops accepting it within seconds.");
        command.Add(id);
        data.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var services = await AdminServices.OpenAsync(data.Resolve(result), cancellationToken);
            var tokenId = result.GetValue(id);
            if (!await services.GetRequiredService<ApiTokenService>().RevokeAsync(tokenId, cancellationToken))
            {
                throw new CliException($"Token {tokenId} does not exist.", 4);
            }

            await Console.Out.WriteLineAsync($"Revoked token {tokenId}.");
            return 0;
        });
        return command;
    }
}
