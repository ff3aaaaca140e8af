using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Teams;
using Slipway.Core.Tokens;
using Slipway.Core.Users;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Users;

/// <summary>
/// The setup URL of a new installation: while no user exists and no setup token was issued, the server issues
/// one at start and prints it once (as it prints the root token); opening it lets one person create the first
/// owner of the root team. Only the token's SHA-256 is stored, and it works once.
/// </summary>
public sealed class SetupTokens(IDbContextFactory<SlipwayDbContext> contexts, UserService users, TimeProvider clock)
{
    /// <summary>A new token's plain text, or null when there are users already or a token was issued before.</summary>
    public async Task<string?> IssueAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken) || await db.SetupTokens.AnyAsync(cancellationToken))
        {
            return null;
        }

        var secret = TokenSecret.Generate();
        db.SetupTokens.Add(new SetupToken { TokenHash = TokenSecret.Hash(secret), CreatedAt = Timestamps.Now(clock) });
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>True when the token is one that was issued and not used, and no user exists yet.</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256)
        {
            return false;
        }

        var hash = TokenSecret.Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SetupTokens.AnyAsync(t => t.TokenHash == hash && t.UsedAt == null, cancellationToken)
            && !await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>Creates the first owner (in the root team) and spends the token; the outcome names a field on failure.</summary>
    public async Task<UserService.Outcome> UseAsync(string token, string email, string password, CancellationToken cancellationToken)
    {
        if (!await IsUsableAsync(token, cancellationToken))
        {
            return new UserService.Outcome(null, "token", "This setup link was used already or is not valid.");
        }

        var hash = TokenSecret.Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Spent first, atomically: of two concurrent submissions only one gets to create the owner.
        var spent = await db.SetupTokens.Where(t => t.TokenHash == hash && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, Timestamps.Now(clock)), cancellationToken);
        if (spent == 0)
        {
            return new UserService.Outcome(null, "token", "This setup link was used already or is not valid.");
        }

        var outcome = await users.CreateAsync(Team.RootId, email, password, UserRoles.Owner, cancellationToken);
        if (outcome.User is null)
        {
            // A typo in the form must not burn the link.
            await db.SetupTokens.Where(t => t.TokenHash == hash).ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, (DateTime?)null), cancellationToken);
        }

        return outcome;
    }
}
