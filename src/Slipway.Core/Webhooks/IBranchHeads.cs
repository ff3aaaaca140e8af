using Slipway.Core.Servers;

namespace Slipway.Core.Webhooks;

/// <summary>
/// Asks the git host, at delivery time, whether a pushed commit is still its branch's head: a push is deployed only
/// then, so a captured old delivery sent again (with a new delivery id, its signature still valid) cannot roll the
/// application back. Throws when the host cannot be asked (unreachable, refused credentials, out of time).
/// </summary>
public interface IBranchHeads
{
    Task<BranchHeadCheck> CheckAsync(BranchHeadQuery query, string commit, CancellationToken cancellationToken);
}

/// <summary>Where to ask: the application's repository and branch, from its server, with its deploy key and pinned host key.</summary>
public sealed record BranchHeadQuery(Server Server, string Repository, string Branch, string? DeployKey, string? PinnedHostKeys);

public enum BranchHeadState
{
    /// <summary>The commit is the branch's head.</summary>
    Current,

    /// <summary>The branch has moved on: its head is another commit.</summary>
    Moved,

    /// <summary>The branch does not exist (any more).</summary>
    Missing,
}

/// <summary>What the host answered; <see cref="Head"/> is the branch's full commit when it exists.</summary>
public sealed record BranchHeadCheck(BranchHeadState State, string? Head)
{
    /// <summary>Compares <paramref name="commit"/> (full or, as Bitbucket sends it, abbreviated) with the branch's head.</summary>
    public static BranchHeadCheck Of(string? head, string commit) =>
        head is null ? new(BranchHeadState.Missing, null)
        : head.StartsWith(commit, StringComparison.OrdinalIgnoreCase) ? new(BranchHeadState.Current, head)
        : new(BranchHeadState.Moved, head);
}
