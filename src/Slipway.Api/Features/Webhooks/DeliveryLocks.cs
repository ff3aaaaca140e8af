using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Cluster;

namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Serialises the handling of one delivery id, so a delivery sent many times at once — to any instance — is
/// processed once and the copies are answered from its record. The key is hashed to 64 bits and taken as a
/// cluster-wide lock (<see cref="IClusterLocks"/>): two different ids rarely share a lock, and when they do they only
/// wait for each other.
/// </summary>
public sealed class DeliveryLocks(IClusterLocks locks)
{
    public async Task<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken) =>
        await locks.AcquireAsync(
            ClusterLockScope.WebhookDelivery, BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key))), cancellationToken);
}
