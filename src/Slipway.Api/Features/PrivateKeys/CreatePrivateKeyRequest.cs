namespace Slipway.Api.Features.PrivateKeys;

/// <summary>Body of <c>POST /security/keys</c>. Without a name the key is named after its fingerprint.</summary>
public sealed record CreatePrivateKeyRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? PrivateKey { get; init; }
}
