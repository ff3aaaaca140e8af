namespace Slipway.Infrastructure.Servers;

/// <summary>
/// What validating a server found. <see cref="IsReachable"/>: Slipway could connect (and authenticate);
/// <see cref="IsUsable"/>: Docker answered too. <see cref="Log"/> is written for a person to read.
/// </summary>
public sealed record ServerValidationResult(bool IsReachable, bool IsUsable, string Log);
