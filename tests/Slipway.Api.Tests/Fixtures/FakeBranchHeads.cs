using System.Collections.Concurrent;
using Slipway.Core.Webhooks;

namespace Slipway.Api.Tests.Fixtures;

/// <summary>
/// The git host as the API tests' webhooks see it: their payloads name repositories on github.com and elsewhere, which
/// these tests must never contact. A pushed commit is the branch's head unless a test says otherwise for its
/// repository (<see cref="SetHead"/>, <see cref="SetUnreachable"/>). The real <c>git ls-remote</c> check runs in the
/// integration tests against local repositories.
/// </summary>
public sealed class FakeBranchHeads : IBranchHeads
{
    private readonly ConcurrentDictionary<string, string?> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _unreachable = new(StringComparer.Ordinal);

    public ConcurrentQueue<BranchHeadQuery> Queries { get; } = new();

    /// <summary>The branch head the host reports for <paramref name="repository"/> (null: the branch does not exist).</summary>
    public void SetHead(string repository, string? head) => _heads[repository] = head;

    public void SetUnreachable(string repository) => _unreachable[repository] = true;

    public Task<BranchHeadCheck> CheckAsync(BranchHeadQuery query, string commit, CancellationToken cancellationToken)
    {
        Queries.Enqueue(query);
        if (_unreachable.ContainsKey(query.Repository))
        {
            throw new InvalidOperationException($"{query.Repository} cannot be reached (test).");
        }

        var head = _heads.TryGetValue(query.Repository, out var set) ? set : commit.PadRight(40, '0');
        return Task.FromResult(BranchHeadCheck.Of(head, commit));
    }
}
