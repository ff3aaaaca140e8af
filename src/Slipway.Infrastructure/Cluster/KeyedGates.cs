namespace Slipway.Infrastructure.Cluster;

/// <summary>
/// One in-process gate per key: holders of one key go one at a time, in the order they asked (a
/// <see cref="SemaphoreSlim"/> releases its waiters first in, first out); holders of different keys never wait for each
/// other, so locks may nest. A gate exists only while someone holds or waits for it.
/// </summary>
internal sealed class KeyedGates<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Gate> _gates = [];

    public async ValueTask<IDisposable> EnterAsync(TKey key, CancellationToken cancellationToken)
    {
        Gate? gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out gate))
            {
                _gates[key] = gate = new Gate();
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, gate, entered: false);
            throw;
        }

        return new Entry(this, key, gate);
    }

    /// <summary>How many keys have a gate now (held or waited for): zero when nobody holds anything.</summary>
    public int Count
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    private void Leave(TKey key, Gate gate, bool entered)
    {
        lock (_gates)
        {
            if (entered)
            {
                // Its waiters' continuations run asynchronously: none runs inside this lock.
                gate.Semaphore.Release();
            }

            if (--gate.Users == 0)
            {
                _gates.Remove(key);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Entry(KeyedGates<TKey> owner, TKey key, Gate gate) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                owner.Leave(key, gate, entered: true);
            }
        }
    }
}
