using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Users;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Users;

/// <summary>
/// Slows password guessing, with its counts in the database so every instance sees every failure: after
/// <see cref="MaxPerEmail"/> failed sign-ins for one e-mail address, or <see cref="MaxPerAddress"/> from one
/// client address, within <see cref="Window"/>, further attempts are refused until the oldest failure leaves the
/// window. A successful sign-in clears the failures of its e-mail address.
/// </summary>
public sealed class LoginThrottle(IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock)
{
    public const int MaxPerEmail = 5;
    public const int MaxPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>How long the caller must wait before trying again, or null when an attempt may be made now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string email, string address, CancellationToken cancellationToken)
    {
        var normalized = Key(UserRules.Normalize(email));
        var now = Timestamps.Now(clock);
        var since = now - Window;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var byEmail = await db.LoginAttempts.Where(a => a.Email == normalized && a.AttemptedAt > since)
            .OrderByDescending(a => a.AttemptedAt).Select(a => a.AttemptedAt).Take(MaxPerEmail).ToListAsync(cancellationToken);
        var byAddress = await db.LoginAttempts.Where(a => a.Address == address && a.AttemptedAt > since)
            .OrderByDescending(a => a.AttemptedAt).Select(a => a.AttemptedAt).Take(MaxPerAddress).ToListAsync(cancellationToken);
        TimeSpan? wait = null;
        if (byEmail.Count >= MaxPerEmail)
        {
            wait = byEmail[^1] + Window - now;
        }

        if (byAddress.Count >= MaxPerAddress && (wait is null || byAddress[^1] + Window - now > wait))
        {
            wait = byAddress[^1] + Window - now;
        }

        return wait is { } w && w > TimeSpan.Zero ? w : null;
    }

    public async Task RecordFailureAsync(string email, string address, CancellationToken cancellationToken)
    {
        var now = Timestamps.Now(clock);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.LoginAttempts.Add(new LoginAttempt { Email = Key(UserRules.Normalize(email)), Address = address, AttemptedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        // Rows older than the window count for nothing: the table stays as small as the attacks of the last minutes.
        var expired = now - Window;
        await db.LoginAttempts.Where(a => a.AttemptedAt < expired).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task ClearAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = Key(UserRules.Normalize(email));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.LoginAttempts.Where(a => a.Email == normalized).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Whatever was typed, at most the column's width (a long guess is still counted).</summary>
    private static string Key(string email) => email.Length <= 254 ? email : email[..254];
}
