using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Users;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Users;

/// <summary>
/// Dashboard accounts: created by <c>slipway users create</c>, the setup URL or a team's owner/admin; passwords
/// hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2, rehashed when its format ages).
/// Changing a password or removing a user deletes their sessions, which ends them on every instance.
/// </summary>
public sealed class UserService(IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock)
{
    private static readonly PasswordHasher<User> Hasher = new();

    /// <summary>A hash of a password nobody has, checked when the e-mail is unknown so a miss costs what a hit costs.</summary>
    private static readonly string DecoyHash = Hasher.HashPassword(new User { Email = "", PasswordHash = "", Role = "" }, Guid.NewGuid().ToString());

    public sealed record Outcome(User? User, string? Field, string? Error);

    public async Task<Outcome> CreateAsync(long teamId, string email, string password, string role, CancellationToken cancellationToken)
    {
        if (UserRules.CheckEmail(email) is { } emailError)
        {
            return new Outcome(null, "email", emailError);
        }

        if (UserRules.CheckPassword(password) is { } passwordError)
        {
            return new Outcome(null, "password", passwordError);
        }

        if (!UserRoles.IsValid(role))
        {
            return new Outcome(null, "role", $"The role must be one of {string.Join(", ", UserRoles.All)}.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
        {
            return new Outcome(null, "team", $"Team {teamId} does not exist.");
        }

        var normalized = UserRules.Normalize(email);
        if (await db.Users.AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            return new Outcome(null, "email", "A user with this e-mail address already exists.");
        }

        var now = Timestamps.Now(clock);
        var user = new User { TeamId = teamId, Email = normalized, PasswordHash = "", Role = role, CreatedAt = now, UpdatedAt = now };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(user, null, null);
    }

    /// <summary>The user whose password this is, or null; a hash in an older format is upgraded on the way.</summary>
    public async Task<User?> VerifyAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = UserRules.Normalize(email);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null || password.Length > UserRules.MaxPasswordLength)
        {
            Hasher.VerifyHashedPassword(new User { Email = "", PasswordHash = "", Role = "" }, DecoyHash, password.Length > UserRules.MaxPasswordLength ? "" : password);
            return null;
        }

        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return user;
    }

    /// <summary>Sets a new password and ends every session of the user; false when no user has this e-mail.</summary>
    public async Task<Outcome> ResetPasswordAsync(string email, string password, CancellationToken cancellationToken)
    {
        if (UserRules.CheckPassword(password) is { } passwordError)
        {
            return new Outcome(null, "password", passwordError);
        }

        var normalized = UserRules.Normalize(email);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null)
        {
            return new Outcome(null, "email", $"No user has the e-mail address {normalized}.");
        }

        user.PasswordHash = Hasher.HashPassword(user, password);
        user.UpdatedAt = Timestamps.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        await db.UserSessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        return new Outcome(user, null, null);
    }

    public async Task<List<User>> ListAsync(long teamId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.TeamId == teamId).OrderBy(u => u.Id).ToListAsync(cancellationToken);
    }

    public async Task<User?> FindAsync(long teamId, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.TeamId == teamId && u.Id == id, cancellationToken);
    }

    /// <summary>Changes a member's role (<paramref name="role"/>) or removes them (null), keeping at least one owner in the team.</summary>
    public async Task<string?> ChangeAsync(long teamId, long id, string? role, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.TeamId == teamId && u.Id == id, cancellationToken);
        if (user is null)
        {
            return "User not found.";
        }

        if (user.Role == UserRoles.Owner && role != UserRoles.Owner
            && await db.Users.CountAsync(u => u.TeamId == teamId && u.Role == UserRoles.Owner, cancellationToken) == 1)
        {
            return "A team keeps at least one owner.";
        }

        if (role is null)
        {
            db.Users.Remove(user);
        }
        else
        {
            user.Role = role;
            user.UpdatedAt = Timestamps.Now(clock);
        }

        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(cancellationToken);
    }
}
