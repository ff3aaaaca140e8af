using System.Collections.Concurrent;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Cluster;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// Deployment rows recently read by uuid, each kept with the <see cref="CacheInvalidation.DeploymentsVersion"/> read
/// just before it: a cached row is answered only while that version is unchanged, i.e. while no deployment row has
/// changed anywhere (any instance, any process). Bounded; callers get the cached instance and must not change it.
/// </summary>
public sealed class DeploymentRowCache(CacheInvalidation invalidation)
{
    public const int MaxRows = 4096;

    private readonly ConcurrentDictionary<(string Uuid, long TeamId), Entry> _rows = new();

    /// <summary>The current version, or null when none can be told (then read the database and do not cache).</summary>
    public long? Version() => invalidation.DeploymentsVersion();

    /// <summary>The cached entry when it is still current.</summary>
    public Entry? TryGet(string uuid, long teamId, long? version) =>
        version is { } current && _rows.TryGetValue((uuid, teamId), out var entry) && entry.Version == current ? entry : null;

    /// <summary>Keeps a row read after <paramref name="version"/> was read.</summary>
    public void Set(string uuid, long teamId, long version, Deployment row)
    {
        if (_rows.Count >= MaxRows)
        {
            _rows.Clear();
        }

        _rows[(uuid, teamId)] = new Entry(version, row);
    }

    /// <summary>A cached row and, once serialised, its answer without logs.</summary>
    public sealed class Entry(long version, Deployment row)
    {
        public long Version { get; } = version;

        public Deployment Row { get; } = row;

        public byte[]? PublicAnswer { get; set; }
    }
}
