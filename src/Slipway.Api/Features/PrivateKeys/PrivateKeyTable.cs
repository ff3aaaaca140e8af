using Slipway.Api.Http.Fields;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Validation;
using Slipway.Infrastructure.PrivateKeys;
using Field = Slipway.Api.Http.Fields.WireField<Slipway.Core.PrivateKeys.PrivateKey>;

namespace Slipway.Api.Features.PrivateKeys;

/// <summary>
/// The private key fields, once each. <c>private_key</c> is read by the handler (it is parsed, encrypted and
/// never shown: <see cref="PrivateKeyResponse"/> has no field for it). A new key (<c>Id == 0</c>) may leave out its
/// name: it is named after its fingerprint.
/// </summary>
public static class PrivateKeyTable
{
    public static readonly Field Name = Field.Text("name", (k, v, f) => TextRules.CheckName(v, f, required: k.Id != 0), (k, v) => k.Name = v?.Trim() ?? string.Empty)
        .AcceptsNull().AtMost(255);
    public static readonly Field Description = Field.Text("description", (v, _) => TextRules.CheckDescription(v), (k, v) => k.Description = v).AcceptsNull().AtMost(2000);
    public static readonly Field Key = Field.Text("private_key", (v, _) => SshKeyInspector.TryInspect(v, out SshKeyInfo? _, out var error) ? null : error, null)
        .WriteOnly().WhenMissing("The private key field is required.");

    /// <summary>Body of <c>POST /security/keys</c>. Without a name the key is named after its fingerprint.</summary>
    public static readonly WireFields<PrivateKey> Create = new("CreatePrivateKeyRequest", [Name, Description, Key], required: [Key]);

    /// <summary>Body of <c>PATCH /security/keys/{uuid}</c>: only the fields sent change.</summary>
    public static readonly WireFields<PrivateKey> Update = new("UpdatePrivateKeyRequest", [Name, Description, Key]);
}
