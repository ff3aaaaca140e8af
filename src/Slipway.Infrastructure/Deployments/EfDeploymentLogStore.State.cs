using System.Text;
using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Deployments;

/// <summary>What the store keeps for a deployment whose log is open, and how a line becomes a row.</summary>
internal sealed partial class EfDeploymentLogStore
{
    /// <summary>The deployment's open state; creating one marks its log as being written until completed.</summary>
    private State GetState(long deploymentId)
    {
        while (true)
        {
            if (_states.TryGetValue(deploymentId, out var existing))
            {
                return existing;
            }

            var created = new State(_feed.HoldOpen(deploymentId), _lease.Generation);
            if (_states.TryAdd(deploymentId, created))
            {
                return created;
            }

            created.Hold.Dispose();
        }
    }

    private static void Add(State state, long deploymentId, LogLine line, string output, string? command, DateTime now) =>
        state.Pending.Add(new DeploymentLogEntry
        {
            DeploymentId = deploymentId,
            Order = state.NextOrder++,
            Type = line.Type == LogLine.Stderr ? LogLine.Stderr : LogLine.Stdout,
            Output = output,
            Command = command,
            Hidden = line.Hidden,
            Batch = line.Batch,
            Timestamp = now,
        });

    // PostgreSQL text cannot hold NUL; a runaway line must not become a multi-megabyte row.
    private static string Clean(string text)
    {
        var cleaned = text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;
        cleaned = cleaned.TrimEnd('\r');
        return cleaned.Length > MaxLineLength ? string.Concat(cleaned.AsSpan(0, MaxLineLength), " [line truncated]") : cleaned;
    }

    private sealed class State(IDisposable hold, long generation)
    {
        /// <summary>The lease generation the log was opened under: lines are written only while it is held.</summary>
        public long Generation { get; } = generation;

        public SemaphoreSlim Lock { get; } = new(1, 1);
        public IDisposable Hold { get; } = hold;

        /// <summary>Set (under <see cref="Lock"/>) when completed; a writer that finds it set starts over.</summary>
        public bool Closed { get; set; }

        public int NextOrder { get; set; }
        public List<DeploymentLogEntry> Pending { get; } = [];
        public IReadOnlyCollection<string>? Secrets { get; set; }

        public LogLimits Limits { get; set; } = LogLimits.Default;

        /// <summary>Command output lines and their bytes (UTF-8) stored so far by this writer.</summary>
        public int Lines { get; private set; }

        public long Bytes { get; private set; }

        /// <summary>Whether the line announcing the limit was written (after it, command output is dropped).</summary>
        public bool ReachedNoted { get; set; }

        /// <summary>Counts a command's line in, or refuses it once it would pass a limit (and every one after that).</summary>
        public bool Admit(string output)
        {
            if (ReachedNoted)
            {
                return false;
            }

            var bytes = Encoding.UTF8.GetByteCount(output);
            if (Lines >= Limits.MaxLines || Bytes + bytes > Limits.MaxBytes)
            {
                return false;
            }

            Lines++;
            Bytes += bytes;
            return true;
        }
    }
}
