using Slipway.Api.Http;
using Slipway.Core.Proxy;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Proxy;

/// <summary>
/// Body of <c>PATCH /servers/{uuid}/proxy</c>: Coolify's fields plus Slipway's (ports, image, ACME account and CA).
/// Only the fields sent change; <c>redirect_url</c>, <c>acme_email</c> and <c>acme_ca_root</c> are cleared with null.
/// </summary>
public sealed class UpdateServerProxyRequest
{
    public string? ProxyType { get; set; }
    public bool? RedirectEnabled { get; set; }
    public string? RedirectUrl { get; set; }
    public bool? GenerateExactLabels { get; set; }
    public int? HttpPort { get; set; }
    public int? HttpsPort { get; set; }
    public int? AdminPort { get; set; }
    public string? Image { get; set; }
    public string? AcmeEmail { get; set; }
    public string? AcmeCaUrl { get; set; }
    public string? AcmeCaRoot { get; set; }

    /// <summary>Checks every field sent and applies the valid ones to <paramref name="proxy"/>; the caller saves only without errors.</summary>
    public ValidationErrors Apply(ServerProxy proxy, BodyResult<UpdateServerProxyRequest> body)
    {
        var errors = new ValidationErrors();
        if (body.Has("proxy_type"))
        {
            var type = ProxyTypes.Normalize(ProxyType, out var typeError);
            errors.AddIf("proxy_type", typeError);
            proxy.Type = type ?? proxy.Type;
        }

        if (body.Has("redirect_enabled"))
        {
            proxy.RedirectEnabled = RedirectEnabled ?? Fail(errors, "redirect_enabled", "The redirect_enabled field must be true or false.", proxy.RedirectEnabled);
        }

        if (body.Has("generate_exact_labels") && GenerateExactLabels != true)
        {
            // Slipway renders exact host matches always; what Coolify's flag switches on is its only mode.
            errors.Add("generate_exact_labels", "Slipway always matches hosts exactly: generate_exact_labels can only be true.");
        }

        Optional(body, errors, "redirect_url", RedirectUrl, ProxyRules.CheckRedirectUrl, v => proxy.RedirectUrl = v);
        Optional(body, errors, "acme_email", AcmeEmail, ProxyRules.CheckEmail, v => proxy.AcmeEmail = v);
        Port(body, errors, "http_port", HttpPort, v => proxy.HttpPort = v);
        Port(body, errors, "https_port", HttpsPort, v => proxy.HttpsPort = v);
        Port(body, errors, "admin_port", AdminPort, v => proxy.AdminPort = v);
        Required(body, errors, "image", Image, ProxyRules.CheckImage, v => proxy.Image = v);
        Required(body, errors, "acme_ca_url", AcmeCaUrl, ProxyRules.CheckAcmeCaUrl, v => proxy.AcmeCaUrl = v);
        if (body.Has("acme_ca_root"))
        {
            if (string.IsNullOrEmpty(AcmeCaRoot))
            {
                proxy.AcmeCaRoot = null;
            }
            else
            {
                var normalized = ProxyRules.NormalizeCaRoot(AcmeCaRoot, out var rootError);
                errors.AddIf("acme_ca_root", rootError);
                proxy.AcmeCaRoot = normalized ?? proxy.AcmeCaRoot;
            }
        }

        if (!errors.Has("http_port") && !errors.Has("https_port") && !errors.Has("admin_port"))
        {
            foreach (var (field, error) in ProxyRules.CheckDistinctPorts(proxy.HttpPort, proxy.HttpsPort, proxy.AdminPort))
            {
                errors.Add(field, error);
            }
        }

        return errors;
    }

    private static T Fail<T>(ValidationErrors errors, string field, string message, T unchanged)
    {
        errors.Add(field, message);
        return unchanged;
    }

    private static void Port(BodyResult<UpdateServerProxyRequest> body, ValidationErrors errors, string field, int? value, Action<int> assign)
    {
        if (!body.Has(field))
        {
            return;
        }

        if (ProxyRules.CheckPort(value, field) is { } error)
        {
            errors.Add(field, error);
            return;
        }

        assign(value!.Value);
    }

    private static void Required(BodyResult<UpdateServerProxyRequest> body, ValidationErrors errors, string field, string? value, Func<string?, string?> check, Action<string> assign)
    {
        if (!body.Has(field))
        {
            return;
        }

        if (check(value) is { } error)
        {
            errors.Add(field, error);
            return;
        }

        assign(value!);
    }

    private static void Optional(BodyResult<UpdateServerProxyRequest> body, ValidationErrors errors, string field, string? value, Func<string?, string?> check, Action<string?> assign)
    {
        if (!body.Has(field))
        {
            return;
        }

        if (string.IsNullOrEmpty(value))
        {
            assign(null);
            return;
        }

        if (check(value) is { } error)
        {
            errors.Add(field, error);
            return;
        }

        assign(value);
    }
}
