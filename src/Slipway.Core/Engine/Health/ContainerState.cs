using System.Text.Json;
using Slipway.Core.Commands;

namespace Slipway.Core.Engine.Health;

/// <summary>What <c>docker inspect</c> says about a container: running or not, health, network and addresses.</summary>
public sealed record ContainerState(
    string Status,
    bool Running,
    int Pid,
    int ExitCode,
    string? HealthStatus,
    bool ImageHasHealthCheck,
    string NetworkMode,
    IReadOnlyList<string> Addresses)
{
    // Docker's JSON keys (constants, so they are not mistaken for this record's property names).
    private const string StatusKey = "Status";
    private const string RunningKey = "Running";
    private const string PidKey = "Pid";
    private const string ExitCodeKey = "ExitCode";

    public bool HasEnded => Status is "exited" or "dead" or "removing";

    public static async Task<ContainerState?> InspectAsync(DeploymentContext context, string container, CancellationToken cancellationToken)
    {
        var result = await context.RunAsync(DockerCommands.InspectState(container), cancellationToken, throwOnFailure: false, quiet: true);
        return result.Succeeded ? Parse(result.Output) : null;
    }

    public static ContainerState? Parse(string output)
    {
        var fields = output.Trim().Split('\t');
        if (fields.Length < 4)
        {
            return null;
        }

        using var state = JsonDocument.Parse(fields[0]);
        var root = state.RootElement;
        string? health = root.TryGetProperty("Health", out var h) && h.ValueKind == JsonValueKind.Object ? h.GetProperty(StatusKey).GetString() : null;
        var hasCheck = false;
        if (fields[3] != "null")
        {
            using var check = JsonDocument.Parse(fields[3]);
            hasCheck = check.RootElement.TryGetProperty("Test", out var test) && test.ValueKind == JsonValueKind.Array
                && test.GetArrayLength() > 0 && test[0].GetString() != "NONE";
        }

        return new ContainerState(
            root.GetProperty(StatusKey).GetString() ?? "unknown",
            root.GetProperty(RunningKey).GetBoolean(),
            root.GetProperty(PidKey).GetInt32(),
            root.GetProperty(ExitCodeKey).GetInt32(),
            health,
            hasCheck,
            fields[1],
            fields[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
