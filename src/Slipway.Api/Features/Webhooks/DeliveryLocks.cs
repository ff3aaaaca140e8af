namespace Slipway.Api.Features.Webhooks;

/// <summary>
/// Serialises the handling of one delivery id, so a delivery sent many times at once is processed once and the
/// copies are answered from its record. Striped (a fixed set of gates picked by hash): no per-id bookkeeping to
/// clean up, and two different ids rarely share a gate — when they do they only wait for each other.
/// </summary>
public sealed class DeliveryLocks : IDisposable
{
    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var gate = _gates[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_gates.Length)];
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    public void Dispose()
    {
        foreach (var gate in _gates)
        {
            gate.Dispose();
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
