using System.Globalization;
using Slipway.Core.Common;
using Slipway.Core.Validation;

namespace Slipway.Core.Previews;

/// <summary>
/// A preview's domain from the application's <c>preview_url_template</c> (Coolify's <c>generate_preview_fqdn</c>):
/// the first application domain's host goes into <c>{{domain}}</c>, the pull request number into <c>{{pr_id}}</c>
/// and a fresh public id into <c>{{random}}</c>; scheme, port and path are kept. Computed once when the preview is
/// created, so a <c>{{random}}</c> domain stays stable across its deployments (Coolify regenerates it each time).
/// </summary>
public static class PreviewAddress
{
    /// <summary>The preview's domain, or null when the application has no domain (or the result would not be valid).</summary>
    public static string? Fqdn(string? applicationFqdn, string? template, int pullRequestId, Func<string>? random = null)
    {
        var domains = DomainRules.ParseStored(applicationFqdn);
        var first = domains.Count > 0 ? domains[0] : null;
        if (first is null)
        {
            return null;
        }

        var expanded = (string.IsNullOrWhiteSpace(template) ? "{{pr_id}}.{{domain}}" : template)
            .Replace("{{random}}", (random ?? PublicId.New)(), StringComparison.Ordinal)
            .Replace("{{domain}}", first.Host, StringComparison.Ordinal)
            .Replace("{{pr_id}}", pullRequestId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var port = first.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var fqdn = $"{first.Scheme}://{expanded}{port}{first.Path}";
        return DomainRules.Check(fqdn) is null ? fqdn : null;
    }
}
