using System.Globalization;
using Slipway.Core.Deployments;
using Slipway.Core.Validation;

namespace Slipway.Api.Dashboard;

/// <summary>How values read on the pages: statuses in Coolify's words, short commits, UTC times, domains as links.</summary>
public static class Display
{
    public static string Status(DeploymentStatus status) => status.ToWire();

    public static string Commit(string? commit) => commit is null ? "" : commit.Length == 40 ? commit[..7] : commit;

    public static string When(DateTime? utc) => utc is null ? "" : utc.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Duration(DateTime? start, DateTime? end) =>
        start is null || end is null ? "" : Seconds((end.Value - start.Value).TotalSeconds);

    public static string Seconds(double seconds) =>
        seconds < 60 ? seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : $"{(int)seconds / 60} min {(int)seconds % 60} s";

    /// <summary>The application's domains as absolute URLs (a bare host gets <c>https://</c>).</summary>
    public static IEnumerable<string> Domains(string? fqdn) =>
        fqdn is null ? [] : DomainRules.Split(fqdn).Select(d => d.Contains("://", StringComparison.Ordinal) ? d : "https://" + d);
}
