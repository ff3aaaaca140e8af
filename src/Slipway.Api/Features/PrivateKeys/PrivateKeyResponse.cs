using Slipway.Core.Common;
using Slipway.Core.PrivateKeys;

namespace Slipway.Api.Features.PrivateKeys;

/// <summary>
/// Coolify's <c>PrivateKey</c> without <c>private_key</c>: the key material never leaves Slipway, whatever the
/// token's abilities. There is deliberately no property that could carry it.
/// </summary>
public sealed record PrivateKeyResponse(
    long Id,
    string Uuid,
    string Name,
    string? Description,
    string PublicKey,
    string Fingerprint,
    bool IsGitRelated,
    long TeamId,
    string CreatedAt,
    string UpdatedAt)
{
    public static PrivateKeyResponse From(PrivateKey key) => new(
        key.Id,
        key.Uuid,
        key.Name,
        key.Description,
        key.PublicKey,
        key.Fingerprint,
        key.IsGitRelated,
        key.TeamId,
        Timestamps.ToWire(key.CreatedAt),
        Timestamps.ToWire(key.UpdatedAt));
}
