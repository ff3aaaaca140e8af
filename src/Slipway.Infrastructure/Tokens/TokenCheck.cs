namespace Slipway.Infrastructure.Tokens;

public enum TokenCheckOutcome
{
    Valid,

    /// <summary>Missing, malformed, unknown, expired or revoked: 401 "Unauthenticated.".</summary>
    Unauthenticated,

    /// <summary>A valid token whose team is gone: Coolify's 400 "Invalid token.".</summary>
    TeamMissing,
}

public readonly record struct TokenCheck(TokenCheckOutcome Outcome, TokenIdentity? Identity);
