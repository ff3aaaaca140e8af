using Slipway.Api.Http;
using Slipway.Core.Proxy;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Servers;

/// <summary>Body of <c>POST /servers</c>: a server reached over SSH with one of the team's private keys.</summary>
public sealed record CreateServerRequest
{
    /// <summary>Contract fields Slipway has no feature for: sending them is a 422 naming them, not a silent no-op.</summary>
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal) { "is_build_server" };

    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Ip { get; init; }
    public int? Port { get; init; }
    public string? User { get; init; }
    public string? PrivateKeyUuid { get; init; }
    public bool? InstantValidate { get; init; }

    /// <summary><c>CADDY</c> or <c>NONE</c> (default), case-insensitive.</summary>
    public string? ProxyType { get; init; }

    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors()
            .AddIf("name", TextRules.CheckName(Name, "name", required: false))
            .AddIf("description", TextRules.CheckDescription(Description))
            .AddIf("ip", string.IsNullOrEmpty(Ip) ? "The ip field is required." : TextRules.CheckHost(Ip))
            .AddIf("private_key_uuid", string.IsNullOrEmpty(PrivateKeyUuid) ? "The private_key_uuid field is required." : null);
        if (Port is not null)
        {
            errors.AddIf("port", ServerRules.CheckPort(Port));
        }

        if (ProxyType is not null)
        {
            ProxyTypes.Normalize(ProxyType, out var proxyError);
            errors.AddIf("proxy_type", proxyError);
        }

        return User is null ? errors : errors.AddIf("user", TextRules.CheckSshUser(User));
    }
}
