using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Slipway.Bench.LogFollow;

/// <summary>The few API calls the benchmark makes: set up an application, queue a deployment, read the stored log.</summary>
internal sealed class ServerApi : IDisposable
{
    private readonly HttpClient _http;

    public ServerApi(string url, string token)
    {
        _http = new HttpClient { BaseAddress = new Uri(url + "/api/v1/"), Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task WaitUntilHealthyAsync()
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var response = await _http.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The server did not become healthy.");
    }

    /// <summary>A static application that nothing builds (engine off): its deployment stays queued for <see cref="BenchHost"/>.</summary>
    public Task<string> QueueStaticDeploymentAsync() => QueueAsync("applications/public", new JsonObject
    {
        ["git_repository"] = "https://github.com/example/web.git",
        ["git_branch"] = "main",
        ["build_pack"] = "static",
        ["ports_exposes"] = "8080",
    });

    public Task<string> QueueDockerfileDeploymentAsync(string dockerfile) => QueueAsync("applications/dockerfile", new JsonObject
    {
        ["dockerfile"] = dockerfile,
        ["ports_exposes"] = "8080",
        ["custom_docker_run_options"] = "--network host",
    });

    /// <summary>Every stored entry: order, output, timestamp, hidden.</summary>
    public async Task<List<(int Order, string Output, DateTime Timestamp, bool Hidden)>> EntriesAsync(string deployment)
    {
        var entries = new List<(int, string, DateTime, bool)>();
        var after = 0;
        while (true)
        {
            var page = await SendAsync(HttpMethod.Get, $"deployments/{deployment}/logs?after={after}&limit=10000", null);
            foreach (var e in page["entries"]!.AsArray())
            {
                entries.Add((e!["order"]!.GetValue<int>(), e["output"]!.GetValue<string>(),
                    DateTime.Parse(e["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    e["hidden"]!.GetValue<bool>()));
            }

            if (!page["has_more"]!.GetValue<bool>())
            {
                return entries;
            }

            after = page["last_order"]!.GetValue<int>();
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> QueueAsync(string path, JsonObject application)
    {
        var project = (await SendAsync(HttpMethod.Post, "projects", new JsonObject { ["name"] = "bench" }))["uuid"]!.GetValue<string>();
        var server = (await SendAsync(HttpMethod.Get, "servers", null)).AsArray()[0]!["uuid"]!.GetValue<string>();
        // The build's app runs on host networking, as in the measurements before it became a per-server opt-in.
        await SendAsync(HttpMethod.Patch, $"servers/{server}", new JsonObject { ["allow_host_network"] = true });
        application["project_uuid"] = project;
        application["server_uuid"] = server;
        application["environment_name"] = "production";
        var app = (await SendAsync(HttpMethod.Post, path, application))["uuid"]!.GetValue<string>();
        var deploy = await SendAsync(HttpMethod.Post, "deploy", new JsonObject { ["uuid"] = app });
        return deploy["deployments"]![0]!["deployment_uuid"]!.GetValue<string>();
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}
