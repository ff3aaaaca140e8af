using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Common;
using Slipway.Core.Tokens;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Tokens;

/// <summary>
/// Issues, lists, revokes and checks API tokens. Checks are served from an in-memory copy of the token row so an
/// authenticated read costs no database round trip. The copy is kept while <see cref="CacheInvalidation.TokensVersion"/>
/// is unchanged: a revocation made through this process takes effect at once; one made anywhere else — another
/// instance, or the <c>slipway tokens revoke</c> command — as soon as the change is announced (a PostgreSQL
/// notification; on SQLite the <c>data_version</c> watch, within about a quarter of a second). Copies are reloaded
/// after <see cref="CacheLifetime"/> whatever happens.
/// </summary>
public sealed class ApiTokenService(IDbContextFactory<SlipwayDbContext> contexts, TimeProvider clock, CacheInvalidation invalidation)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, CachedToken> _cache = new();

    public async Task<(ApiToken Token, string PlainText)> CreateAsync(
        long teamId, string name, ApiAbility abilities, DateTime? expiresAt, CancellationToken cancellationToken, long? createdByUserId = null)
    {
        var secret = TokenSecret.Generate();
        var now = Timestamps.Now(clock);
        var token = new ApiToken
        {
            TeamId = teamId,
            Name = name,
            TokenHash = TokenSecret.Hash(secret),
            Abilities = ApiAbilities.Format(abilities),
            ExpiresAt = expiresAt is null ? null : Timestamps.Truncate(expiresAt.Value),
            CreatedByUserId = createdByUserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return (token, TokenSecret.Format(token.Id, secret));
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The team's tokens, oldest first (the dashboard's list; the CLI lists every team's).</summary>
    public async Task<IReadOnlyList<ApiToken>> ListAsync(long teamId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().Where(t => t.TeamId == teamId).OrderBy(t => t.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Marks the token revoked; false when no such token exists.</summary>
    public Task<bool> RevokeAsync(long id, CancellationToken cancellationToken) => RevokeAsync(id, teamId: null, createdByUserId: null, cancellationToken);

    /// <summary>
    /// Marks a token of <paramref name="teamId"/> revoked, only one <paramref name="createdByUserId"/> created when that
    /// is given; false when there is no such token (another team's is answered the same).
    /// </summary>
    public async Task<bool> RevokeAsync(long id, long? teamId, long? createdByUserId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(
            t => t.Id == id && (teamId == null || t.TeamId == teamId) && (createdByUserId == null || t.CreatedByUserId == createdByUserId), cancellationToken);
        if (token is null)
        {
            return false;
        }

        var now = Timestamps.Now(clock);
        token.RevokedAt ??= now;
        token.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        _cache.TryRemove(id, out _);
        return true;
    }

    public async ValueTask<TokenCheck> CheckAsync(string? presented, CancellationToken cancellationToken)
    {
        if (!TokenSecret.TryParse(presented, out var id, out var secret))
        {
            return new TokenCheck(TokenCheckOutcome.Unauthenticated, null);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var version = invalidation.TokensVersion;
        if (!_cache.TryGetValue(id, out var cached) || cached.LoadedAt + CacheLifetime < now || cached.Version != version)
        {
            cached = await LoadAsync(id, now, version, cancellationToken);
            if (cached is null)
            {
                return new TokenCheck(TokenCheckOutcome.Unauthenticated, null);
            }

            _cache[id] = cached;
        }

        var token = cached.Token;
        if (token.RevokedAt is not null || (token.ExpiresAt is { } expires && expires <= now) || !SecretMatches(secret, cached))
        {
            return new TokenCheck(TokenCheckOutcome.Unauthenticated, null);
        }

        if (!cached.TeamExists)
        {
            return new TokenCheck(TokenCheckOutcome.TeamMissing, null);
        }

        if (token.LastUsedAt is null || token.LastUsedAt.Value + LastUsedResolution < now)
        {
            await TouchAsync(token, now, cancellationToken);
        }

        return new TokenCheck(TokenCheckOutcome.Valid, cached.Identity);
    }

    private async Task<CachedToken?> LoadAsync(long id, DateTime now, long version, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return null;
        }

        var teamExists = await db.Teams.AnyAsync(t => t.Id == token.TeamId, cancellationToken);
        var abilities = ApiAbilities.Parse(token.Abilities, out _);
        var identity = new TokenIdentity(token.Id, token.TeamId, token.Name, abilities, token.ExpiresAt);
        return new CachedToken(token, identity, teamExists, now, version);
    }

    // Coolify touches last_used_at on every request; once a minute keeps the column useful without turning
    // every authenticated read into a write.
    private async Task TouchAsync(ApiToken token, DateTime now, CancellationToken cancellationToken)
    {
        token.LastUsedAt = Timestamps.Truncate(now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.ApiTokens.Where(t => t.Id == token.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, token.LastUsedAt), cancellationToken);
    }

    /// <summary>
    /// <see cref="TokenSecret.Matches"/> without its four allocations: the SHA-256 of the presented secret is
    /// compared, in constant time, with the stored hash decoded once per cache load. Equal bytes are exactly equal
    /// lower-case hex, so the answer is the same; a stored hash in any other form takes the original path.
    /// </summary>
    private static bool SecretMatches(string secret, CachedToken cached)
    {
        if (cached.HashBytes is not { } stored || secret.Length > MaxStackSecretChars)
        {
            return TokenSecret.Matches(secret, cached.Token.TokenHash);
        }

        Span<byte> utf8 = stackalloc byte[MaxStackSecretChars * 3];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return CryptographicOperations.FixedTimeEquals(hash, stored);
    }

    private const int MaxStackSecretChars = 256;
    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    private sealed record CachedToken(ApiToken Token, TokenIdentity Identity, bool TeamExists, DateTime LoadedAt, long Version)
    {
        /// <summary>The stored hash as bytes when it is the 64 lower-case hex digits <see cref="TokenSecret.Hash"/> writes, else null.</summary>
        public byte[]? HashBytes { get; } = IsLowerHex(Token.TokenHash, SHA256.HashSizeInBytes * 2) ? Convert.FromHexString(Token.TokenHash) : null;

        private static bool IsLowerHex(string value, int length) =>
            value.Length == length && value.AsSpan().IndexOfAnyExcept(LowerHexDigits) < 0;
    }
}
