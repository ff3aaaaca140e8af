using Slipway.Core.Tokens;

namespace Slipway.Infrastructure.Tokens;

/// <summary>What an authenticated token may do and for which team.</summary>
public sealed record TokenIdentity(long TokenId, long TeamId, string Name, ApiAbility Abilities, DateTime? ExpiresAt);
