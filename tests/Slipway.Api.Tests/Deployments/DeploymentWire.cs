using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Deployments;

/// <summary>What every deployment object on the wire must look like (the issue's field list, order and formats).</summary>
internal static partial class DeploymentWire
{
    /// <summary>The 23 fields, always present; <c>logs</c> is the 24th, only for sensitive readers.</summary>
    public static readonly string[] Fields =
    [
        "id", "application_id", "deployment_uuid", "pull_request_id", "force_rebuild", "commit", "status", "is_webhook",
        "is_api", "created_at", "updated_at", "current_process_id", "restart_only", "git_type", "server_id",
        "application_name", "server_name", "deployment_url", "destination_id", "only_this_server", "rollback",
        "commit_message", "logs",
    ];

    public static readonly string[] AlwaysPresent = Fields.Where(f => f != "logs").ToArray();

    /// <summary>Columns that are nullable in Coolify's table, so JSON null is allowed for them and only them.</summary>
    public static readonly HashSet<string> Nullable =
        ["current_process_id", "git_type", "commit_message", "application_name", "server_name", "deployment_url", "destination_id"];

    public static readonly string[] Statuses = ["queued", "in_progress", "finished", "failed", "cancelled-by-user"];

    public static readonly string[] LogEntryKeys = ["command", "output", "type", "timestamp", "hidden", "batch", "order"];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")]
    public static partial Regex Timestamp();

    [GeneratedRegex("^[a-z0-9]{24}$")]
    public static partial Regex PublicId();

    [GeneratedRegex("^/project/[a-z0-9]{24}/environment/[a-z0-9]{24}/application/[a-z0-9]{24}/deployment/[a-z0-9]{24}$")]
    public static partial Regex DeploymentUrl();

    /// <summary>Field set, key order (<c>id</c>, alphabetical, <c>created_at</c>, <c>updated_at</c>) and formats.</summary>
    public static void AssertShape(JsonElement deployment, bool expectLogs)
    {
        Assert.Equal(JsonValueKind.Object, deployment.ValueKind);
        var keys = ApiAssert.Keys(deployment);
        var expected = expectLogs ? Fields : AlwaysPresent;
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.Equal(keys.Count, keys.Distinct().Count());

        Assert.Equal("id", keys[0]);
        Assert.Equal(["created_at", "updated_at"], keys[^2..]);
        var middle = keys[1..^2];
        Assert.Equal(middle.Order(StringComparer.Ordinal), middle);

        Assert.Contains(deployment.GetProperty("status").GetString(), Statuses);
        Assert.Matches(PublicId(), deployment.GetProperty("deployment_uuid").GetString()!);
        foreach (var name in new[] { "created_at", "updated_at" })
        {
            var text = deployment.GetProperty(name).GetString()!;
            Assert.Matches(Timestamp(), text);
            var parsed = DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.InRange(parsed, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), DateTime.UtcNow.AddDays(1));
        }

        Assert.Matches("^[0-9]+$", deployment.GetProperty("application_id").GetString()!);
        if (deployment.GetProperty("destination_id").ValueKind == JsonValueKind.String)
        {
            Assert.Matches("^[0-9]+$", deployment.GetProperty("destination_id").GetString()!);
        }

        if (expectLogs)
        {
            AssertLogs(deployment.GetProperty("logs"));
        }
    }

    /// <summary><c>logs</c> is a string holding a JSON array of entries with exactly Coolify's keys, in order.</summary>
    public static List<JsonElement> AssertLogs(JsonElement logs)
    {
        Assert.Equal(JsonValueKind.String, logs.ValueKind);
        using var document = JsonDocument.Parse(logs.GetString()!);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        var entries = document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        foreach (var entry in entries)
        {
            Assert.Equal(LogEntryKeys, ApiAssert.Keys(entry));
            Assert.True(entry.GetProperty("command").ValueKind is JsonValueKind.Null or JsonValueKind.String);
            Assert.Equal(JsonValueKind.String, entry.GetProperty("output").ValueKind);
            Assert.Contains(entry.GetProperty("type").GetString(), new[] { "stdout", "stderr" });
            Assert.Matches(Timestamp(), entry.GetProperty("timestamp").GetString()!);
            Assert.True(entry.GetProperty("hidden").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.True(entry.GetProperty("batch").TryGetInt32(out _));
            Assert.True(entry.GetProperty("order").TryGetInt32(out _));
        }

        return entries;
    }
}
