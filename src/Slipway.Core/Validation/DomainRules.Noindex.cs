namespace Slipway.Core.Validation;

/// <summary>
/// Coolify's <c>noindex_domains</c>: the application domains served with <c>X-Robots-Tag: noindex, nofollow</c>. Each
/// entry is written as in <c>domains</c> (<c>https://host[:port][/path]</c>) or as a bare host; only the host counts, and
/// the same rules apply to it. Stored as comma-separated hosts. As in Coolify, an entry that is not among the
/// application's domains is accepted and routes nothing.
/// </summary>
public static partial class DomainRules
{
    public static string? CheckNoindex(IReadOnlyList<string>? entries)
    {
        if (entries is null)
        {
            return null;
        }

        if (entries.Count > MaxDomains)
        {
            return $"An application has at most {MaxDomains} noindex domains ({entries.Count} given).";
        }

        foreach (var entry in entries)
        {
            if (NoindexHost(entry, out var error) is null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>The checked entries' hosts, comma-separated, each once; null for none.</summary>
    public static string? JoinNoindex(IReadOnlyList<string>? entries)
    {
        var hosts = (entries ?? []).Select(e => NoindexHost(e, out _)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return hosts.Count == 0 ? null : string.Join(',', hosts);
    }

    /// <summary>The stored hosts; one that no longer passes the rules is left out.</summary>
    public static IReadOnlySet<string> ParseNoindexStored(string? stored) =>
        string.IsNullOrEmpty(stored)
            ? new HashSet<string>(StringComparer.Ordinal)
            : Split(stored).Select(h => NoindexHost(h, out _)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>The stored hosts as the API shows them (a list; null for none).</summary>
    public static string[]? ShowNoindex(string? stored) => string.IsNullOrEmpty(stored) ? null : [.. Split(stored)];

    private static string? NoindexHost(string? entry, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(entry))
        {
            error = "A noindex domain must not be empty: list domains of the application (https://host or host).";
            return null;
        }

        var text = entry;
        var url = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (!TryParseOne(url, out var domain, out var problem))
        {
            error = $"{problem} (noindex_domains lists domains of the application: https://host or host.)";
            return null;
        }

        return domain!.Host;
    }
}
