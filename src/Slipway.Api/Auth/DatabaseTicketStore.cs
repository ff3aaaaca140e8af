using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Core.Users;
using Slipway.Infrastructure.Data;

namespace Slipway.Api.Auth;

/// <summary>
/// The cookie scheme's session store: the cookie holds only a random key (inside Data Protection's envelope), the
/// database a row with its SHA-256, the user and the expiry. Any instance on the database accepts the cookie,
/// and deleting rows (sign-out, password reset, removed member) ends sessions everywhere. The principal is built
/// from the user's current row on each read, never from claims stored at sign-in.
/// </summary>
public sealed class DatabaseTicketStore(IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var userId = SessionPrincipal.UserId(ticket.Principal) ?? throw new InvalidOperationException("A session needs a user.");
        var key = TokenSecret.Generate();
        var now = Timestamps.Now(clock);
        await using var db = await contexts.CreateDbContextAsync();
        db.UserSessions.Add(new UserSession
        {
            UserId = userId,
            KeyHash = TokenSecret.Hash(key),
            CreatedAt = now,
            ExpiresAt = Timestamps.Truncate(ticket.Properties.ExpiresUtc?.UtcDateTime ?? now.AddDays(1)),
        });
        await db.SaveChangesAsync();
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        if (ticket.Properties.ExpiresUtc is not { } expires)
        {
            return;
        }

        var hash = TokenSecret.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.KeyHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, Timestamps.Truncate(expires.UtcDateTime)), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length > 256)
        {
            return null;
        }

        var hash = TokenSecret.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.UserSessions.AsNoTracking()
            .Where(s => s.KeyHash == hash)
            .Join(db.Users.AsNoTracking(), s => s.UserId, u => u.Id, (s, u) => new { Session = s, User = u })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null || found.Session.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        var properties = new AuthenticationProperties
        {
            IssuedUtc = DateTime.SpecifyKind(found.Session.CreatedAt, DateTimeKind.Utc),
            ExpiresUtc = DateTime.SpecifyKind(found.Session.ExpiresAt, DateTimeKind.Utc),
            AllowRefresh = true,
        };
        return new AuthenticationTicket(SessionPrincipal.Create(found.User), properties, SessionAuthentication.Scheme);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var hash = TokenSecret.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.KeyHash == hash).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Deletes expired sessions; called at sign-in, so the table holds about the live ones.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
