using Slipway.Api.Http;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Servers;

/// <summary>Body of <c>POST /servers</c>: a server reached over SSH with one of the team's private keys.</summary>
public sealed record CreateServerRequest
{
    /// <summary>Contract fields Slipway has no feature for: sending them is a 422 naming them, not a silent no-op.</summary>
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal) { "is_build_server", "proxy_type" };

    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Ip { get; init; }
    public int? Port { get; init; }
    public string? User { get; init; }
    public string? PrivateKeyUuid { get; init; }
    public bool? InstantValidate { get; init; }

    /// <summary>Slipway addition: applications on the server may use <c>--network host</c> (default false).</summary>
    public bool? AllowHostNetwork { get; init; }

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

        return User is null ? errors : errors.AddIf("user", TextRules.CheckSshUser(User));
    }
}
