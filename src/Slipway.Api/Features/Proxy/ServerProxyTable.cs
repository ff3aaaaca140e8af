using Slipway.Api.Http;
using Slipway.Api.Http.Fields;
using Slipway.Core.Proxy;
using Slipway.Core.Validation;
using static Slipway.Api.Http.Fields.Rules;
using Field = Slipway.Api.Http.Fields.WireField<Slipway.Core.Proxy.ServerProxy>;
using Fields = Slipway.Api.Http.Fields.WireFields<Slipway.Core.Proxy.ServerProxy>;

namespace Slipway.Api.Features.Proxy;

/// <summary>
/// Body of <c>PATCH /servers/{uuid}/proxy</c>: Coolify's fields plus Slipway's (ports, image, ACME account and CA).
/// Only the fields sent change; <c>redirect_url</c>, <c>acme_email</c> and <c>acme_ca_root</c> are cleared with null.
/// </summary>
public static class ServerProxyTable
{
    /// <summary><c>CADDY</c> or <c>NONE</c>, case-insensitive (Coolify spells them in lower case); TRAEFIK and NGINX are named as unsupported.</summary>
    public static readonly Field ProxyType = Field.Text("proxy_type", (v, _) => CheckProxyType(v), (p, v) => p.Type = ProxyTypes.Normalize(v, out _)!);
    public static readonly Field RedirectEnabled = Field.Flag("redirect_enabled", Rules.Boolean, (p, v) => p.RedirectEnabled = v!.Value);
    public static readonly Field RedirectUrl = Field.Text("redirect_url", Clearable((v, _) => ProxyRules.CheckRedirectUrl(v)), (p, v) => p.RedirectUrl = Empty(v)).AcceptsNull();

    /// <summary>Slipway renders exact host matches always; what Coolify's flag switches on is its only mode.</summary>
    public static readonly Field GenerateExactLabels = Field.Flag("generate_exact_labels",
        (v, _) => v == true ? null : "Slipway always matches hosts exactly: generate_exact_labels can only be true.", null);

    public static readonly Field HttpPort = Port("http_port", (p, v) => p.HttpPort = v);
    public static readonly Field HttpsPort = Port("https_port", (p, v) => p.HttpsPort = v);
    public static readonly Field AdminPort = Port("admin_port", (p, v) => p.AdminPort = v);
    public static readonly Field Image = Field.Text("image", (v, _) => ProxyRules.CheckImage(v), (p, v) => p.Image = v!);
    public static readonly Field AcmeEmail = Field.Text("acme_email", Clearable((v, _) => ProxyRules.CheckEmail(v)), (p, v) => p.AcmeEmail = Empty(v)).AcceptsNull();
    public static readonly Field AcmeCaUrl = Field.Text("acme_ca_url", (v, _) => ProxyRules.CheckAcmeCaUrl(v), (p, v) => p.AcmeCaUrl = v!);

    /// <summary>PEM certificates to trust for a private ACME server's own HTTPS; stored normalised.</summary>
    public static readonly Field AcmeCaRoot = Field.Text("acme_ca_root", Clearable((v, _) => CheckCaRoot(v)),
        (p, v) => p.AcmeCaRoot = string.IsNullOrEmpty(v) ? null : ProxyRules.NormalizeCaRoot(v, out _)).AcceptsNull();

    public static readonly Fields Update = new(
        "UpdateServerProxyRequest", [ProxyType, RedirectEnabled, RedirectUrl, GenerateExactLabels, HttpPort, HttpsPort, AdminPort, Image, AcmeEmail, AcmeCaUrl, AcmeCaRoot]);

    /// <summary>The three ports, after the sent ones were applied, must differ (each valid one alone is checked by its row).</summary>
    public static void CheckDistinctPorts(ServerProxy proxy, ValidationErrors errors)
    {
        if (errors.Has(HttpPort.Name) || errors.Has(HttpsPort.Name) || errors.Has(AdminPort.Name))
        {
            return;
        }

        foreach (var (field, error) in ProxyRules.CheckDistinctPorts(proxy.HttpPort, proxy.HttpsPort, proxy.AdminPort))
        {
            errors.Add(field, error);
        }
    }

    private static Field Port(string name, Action<ServerProxy, int> assign) =>
        Field.Integer(name, ProxyRules.CheckPort, (p, v) => assign(p, v!.Value)).Between(1, 65535);

    private static string? CheckProxyType(string? value)
    {
        ProxyTypes.Normalize(value, out var error);
        return error;
    }

    private static string? CheckCaRoot(string value)
    {
        ProxyRules.NormalizeCaRoot(value, out var error);
        return error;
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
