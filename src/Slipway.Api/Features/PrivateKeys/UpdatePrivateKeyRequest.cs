namespace Slipway.Api.Features.PrivateKeys;

/// <summary>Body of <c>PATCH /security/keys/{uuid}</c>: only the fields sent change.</summary>
public sealed record UpdatePrivateKeyRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? PrivateKey { get; init; }
}
