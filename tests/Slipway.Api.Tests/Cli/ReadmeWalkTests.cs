using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Slipway.Api.Tests.Fixtures;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary>
/// The README's quick start, walked as a new user would: start <c>slipway serve</c>, take the printed token,
/// create a project and an application from the bundled example, <c>POST /deploy</c>, read the deployment
/// until it ends and fetch the site. The only change from the README is a local image in place of
/// <c>nginx:alpine</c>, because this machine has no registry (the README says how).
/// </summary>
public sealed class ReadmeWalkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task QuickStart_ServeTokenProjectApplicationDeploy_SiteAnswers()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var example = ExampleRepository.Create();
        var port = SlipwayBinary.FreeLoopbackPort();
        await using var server = ServedSlipway.Start(database, new Dictionary<string, string> { ["SLIPWAY_ALLOW_LOCAL_REPOSITORIES"] = "true" });
        var token = (await server.WaitForOutputLineAsync("Root API token: ", Patience))["Root API token: ".Length..];
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await server.WaitUntilHealthyAsync(http, Patience);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string application = string.Empty;
        try
        {
            var project = await PostAsync(http, "/api/v1/projects", new JsonObject { ["name"] = "demo" });
            var servers = await http.GetFromJsonAsync<JsonArray>("/api/v1/servers", TestContext.Current.CancellationToken);
            application = (await PostAsync(http, "/api/v1/applications/public", new JsonObject
            {
                ["project_uuid"] = project["uuid"]!.GetValue<string>(),
                ["environment_name"] = "production",
                ["server_uuid"] = servers![0]!["uuid"]!.GetValue<string>(),
                ["git_repository"] = example.Url,
                ["git_branch"] = "main",
                ["build_pack"] = "static",
                ["base_directory"] = "/examples/static-site",
                ["ports_exposes"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["static_image"] = "slipway-test/busybox:latest",
                ["static_server"] = "busybox-httpd",
                ["ports_mappings"] = $"127.0.0.1:{port}:{port}",
            }))["uuid"]!.GetValue<string>();

            var deploy = await http.PostAsync($"/api/v1/deploy?uuid={application}", null, TestContext.Current.CancellationToken);
            var deploymentUuid = (await deploy.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken))!["deployments"]![0]!["deployment_uuid"]!.GetValue<string>();

            var deployment = await http.GetFromJsonAsync<JsonNode>($"/api/v1/deployments/{deploymentUuid}", TestContext.Current.CancellationToken);
            Assert.Equal(deploymentUuid, deployment!["deployment_uuid"]!.GetValue<string>());
            Assert.Contains(deployment["status"]!.GetValue<string>(), new[] { "queued", "in_progress" });
            var deadline = Stopwatch.StartNew();
            while (deployment!["status"]!.GetValue<string>() is "queued" or "in_progress" && deadline.Elapsed < Patience)
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
                deployment = await http.GetFromJsonAsync<JsonNode>($"/api/v1/deployments/{deploymentUuid}", TestContext.Current.CancellationToken);
            }

            Assert.True(deployment["status"]!.GetValue<string>() == "finished", $"{deployment.ToJsonString()}\n{server.Transcript()}");
            using var site = new HttpClient();
            var page = await site.GetStringAsync($"http://127.0.0.1:{port}/", TestContext.Current.CancellationToken);
            Assert.Contains("Hello from Slipway", page, StringComparison.Ordinal);
        }
        finally
        {
            if (application.Length > 0)
            {
                await http.DeleteAsync($"/api/v1/applications/{application}", TestContext.Current.CancellationToken);
            }
        }
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string route, JsonObject body)
    {
        var response = await http.PostAsJsonAsync(route, body, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {json.ToJsonString()}");
        return json;
    }

    /// <summary>A git repository holding the repository's <c>examples/static-site</c> at the same path, on branch main.</summary>
    private sealed class ExampleRepository : IDisposable
    {
        private ExampleRepository(string path) => Path = path;

        public string Path { get; }

        public string Url => "file://" + Path;

        public static ExampleRepository Create()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(System.IO.Path.Combine(root.FullName, "Slipway.slnx")))
            {
                root = root.Parent ?? throw new InvalidOperationException("Slipway.slnx not found above the test binaries.");
            }

            var path = Directory.CreateTempSubdirectory("slipway-readme-").FullName;
            var target = System.IO.Path.Combine(path, "examples", "static-site");
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(System.IO.Path.Combine(root.FullName, "examples", "static-site")))
            {
                File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
            }

            Git(path, "init", "-q", "-b", "main");
            Git(path, "add", "-A");
            Git(path, "-c", "user.email=readme@slipway.local", "-c", "user.name=Readme", "commit", "-q", "-m", "The bundled example");
            return new ExampleRepository(path);
        }

        private static void Git(string directory, params string[] arguments)
        {
            var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
