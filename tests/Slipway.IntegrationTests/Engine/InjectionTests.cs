using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Deployments;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.Engine;

/// <summary>
/// Bad input never reaches a shell: every payload of <see cref="InjectionPayloads"/> in every validated field is a
/// 422 naming the field, and the same value written straight into the database (as an old version, an import or a
/// hand edit could) fails the deployment with a log line before any command runs. Each payload tries to create a
/// marker file; none may ever appear.
/// </summary>
public sealed class InjectionTests(EngineHost host) : IClassFixture<EngineHost>, IAsyncLifetime
{
    private readonly string _markers = "/tmp/slipway-marker-" + Guid.NewGuid().ToString("N")[..12];
    private GitRepository? _repository;

    public async ValueTask InitializeAsync()
    {
        _repository = await GitRepository.CreateAsync();
        var (_, localhost) = await host.PlacementAsync();
        await host.SetServerLimitsAsync(localhost, concurrentBuilds: InjectionPayloads.Fields.Length, queueLimit: 1000);
    }

    public ValueTask DisposeAsync()
    {
        _repository?.Dispose();
        foreach (var field in InjectionPayloads.Fields)
        {
            File.Delete(Marker(field));
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Api_EveryPayloadInEveryField_Answers422NamingTheField() =>
        await AssertApiRefusesAsync(InjectionPayloads.Fields.SelectMany(field => InjectionPayloads.For(field, Marker(field)).Select(p => (field, p))));

    [Fact]
    public async Task Api_EscapeAndBuildSteeringValues_Answer422NamingTheField() =>
        await AssertApiRefusesAsync(InjectionPayloads.Escapes);

    [Fact]
    public async Task Engine_PayloadWrittenToTheDatabase_FailsBeforeAnyCommandRuns() =>
        await AssertEngineRefusesAsync(InjectionPayloads.Fields.SelectMany(field => InjectionPayloads.Appended(field, Marker(field)).Select(p => (field, p))));

    [Fact]
    public async Task Engine_EscapeOrBuildSteeringValueWrittenToTheDatabase_FailsBeforeAnyCommandRuns() =>
        await AssertEngineRefusesAsync(InjectionPayloads.Escapes);

    /// <summary>Sends every value to the API (fields by field, in parallel); each must be a 422 naming its field and change nothing.</summary>
    private async Task AssertApiRefusesAsync(IEnumerable<(InjectionField Field, string Value)> payloads)
    {
        var git = await CreateAsync(InjectionTarget.GitApplication);
        var image = await CreateAsync(InjectionTarget.ImageApplication);
        var before = (await RowAsync(git)).ToJsonString() + (await RowAsync(image)).ToJsonString();
        var accepted = new List<string>();

        await Task.WhenAll(payloads.GroupBy(p => p.Field).Select(group => Task.Run(async () =>
        {
            using var api = host.Api();
            var field = group.Key;
            foreach (var (_, payload) in group)
            {
                var (route, body) = field.Target switch
                {
                    InjectionTarget.BuildVariable => ($"/api/v1/applications/{git}/envs", new JsonObject { ["key"] = payload, ["value"] = "v", ["is_buildtime"] = true }),
                    InjectionTarget.ImageApplication => ($"/api/v1/applications/{image}", new JsonObject { [field.Name] = payload }),
                    _ => ($"/api/v1/applications/{git}", new JsonObject { [field.Name] = payload }),
                };
                using var request = new HttpRequestMessage(field.Target == InjectionTarget.BuildVariable ? HttpMethod.Post : HttpMethod.Patch, route) { Content = JsonContent.Create(body) };
                using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                if ((int)response.StatusCode != 422 || json?["errors"]?[field.Name] is null)
                {
                    lock (accepted)
                    {
                        accepted.Add($"{field.Name} = {Show(payload)}: {(int)response.StatusCode} {json?.ToJsonString()}");
                    }
                }
            }
        }, TestContext.Current.CancellationToken)));

        Assert.True(accepted.Count == 0, $"{accepted.Count} payload(s) not refused with a 422 naming the field:\n{string.Join('\n', accepted)}");
        Assert.Equal(before, (await RowAsync(git)).ToJsonString() + (await RowAsync(image)).ToJsonString());
        await using var db = host.CreateDbContext();
        var gitId = await db.Applications.Where(a => a.Uuid == git).Select(a => a.Id).SingleAsync(TestContext.Current.CancellationToken);
        Assert.False(await db.EnvironmentVariables.AnyAsync(v => v.ApplicationId == gitId, TestContext.Current.CancellationToken), "A variable with a bad name was stored.");
        AssertNoMarker();
    }

    /// <summary>Writes each value straight into the database and deploys: each run must fail its settings check with a line naming it, running nothing.</summary>
    private async Task AssertEngineRefusesAsync(IEnumerable<(InjectionField Field, string Value)> payloads)
    {
        var failures = new List<string>();
        // A few fields at a time: many concurrent runs only queue up on the database's single writer.
        var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken };
        await Parallel.ForEachAsync(payloads.GroupBy(p => p.Field), options, async (group, _) =>
        {
            var field = group.Key;
            var app = await CreateAsync(field.Target);
            foreach (var (_, payload) in group)
            {
                await StoreAsync(field, app, payload);
                var deployment = await EndedAsync(await host.DeployAsync(app, force: true));
                if (Refusal(field, deployment) is { } problem)
                {
                    lock (failures)
                    {
                        failures.Add($"{field.Name} = {Show(payload)}: {problem}\n{EngineHost.FullLog(deployment)}");
                    }
                }
            }
        });

        Assert.True(failures.Count == 0, $"{failures.Count} stored payload(s) were not refused before any command ran:\n{string.Join("\n\n", failures)}");
        AssertNoMarker();
    }

    [Fact]
    public async Task Api_ValidButUnusualValues_AreAccepted()
    {
        var git = await CreateAsync(InjectionTarget.GitApplication);
        using var api = host.Api();
        foreach (var (field, value) in InjectionPayloads.Unusual)
        {
            var response = await api.PatchAsJsonAsync($"/api/v1/applications/{git}", new JsonObject { [field] = value }, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"{field} = {value}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            Assert.Equal(value, (await RowAsync(git))[field]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task Engine_ValidButUnusualBranchAndPaths_Deploy()
    {
        using var repository = await GitRepository.CreateAsync(branch: "feature/my-branch");
        await repository.Write("packages/@intlayer/mcp/build~v1/c++/Dockerfile", TestApps.SlowDockerfile(0, "unusual"))
            .CommitAsync("Dockerfile in an unusual place");
        var port = SlipwayBinary.FreeLoopbackPort();
        var app = await host.CreateDockerfileAppAsync(repository, port, body =>
        {
            body["git_branch"] = "feature/my-branch";
            body["base_directory"] = "/packages/@intlayer/mcp";
            body["dockerfile_location"] = "/build~v1/c++/Dockerfile";
        });

        var done = await host.WaitAsync(await host.DeployAsync(app));

        Assert.True(EngineHost.Status(done) == "finished", EngineHost.VisibleLog(done));
        Assert.Equal("unusual\n", await EngineHost.FetchAsync(port));
    }

    /// <summary>Waits for the end by reading the status column (cheaper than rendering the log each time), then reads the deployment.</summary>
    private async Task<JsonNode> EndedAsync(string uuid)
    {
        var ended = await Poll.UntilAsync(async () =>
        {
            await using var db = host.CreateDbContext();
            var status = await db.Deployments.Where(d => d.Uuid == uuid).Select(d => d.Status).SingleAsync(TestContext.Current.CancellationToken);
            return status.IsTerminal();
        }, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(ended, $"Deployment {uuid} did not end.");
        return await host.GetDeploymentAsync(uuid);
    }

    /// <summary>Null when the deployment was refused as it must be, else what went wrong.</summary>
    private static string? Refusal(InjectionField field, JsonNode deployment)
    {
        var visible = EngineHost.VisibleLog(deployment).Split('\n');
        var commands = EngineHost.FullLog(deployment).Split('\n').Where(l => l.StartsWith("$ ", StringComparison.Ordinal)).ToList();
        return EngineHost.Status(deployment) != "failed" ? $"status {EngineHost.Status(deployment)}"
            : commands.Count > 0 ? $"commands ran: {string.Join(" | ", commands)}"
            : !visible.Any(l => l.EndsWith("nothing was run.", StringComparison.Ordinal)) ? "no refusal line"
            : !visible.Any(l => l.Contains(field.LogWord, StringComparison.Ordinal)) ? $"no line naming the {field.LogWord}"
            : null;
    }

    private async Task<string> CreateAsync(InjectionTarget target)
    {
        if (target == InjectionTarget.ImageApplication)
        {
            return await host.CreateDockerImageAppAsync("slipway-test/busybox", "latest", SlipwayBinary.FreeLoopbackPort());
        }

        var app = await host.CreateStaticSiteAsync(_repository!, SlipwayBinary.FreeLoopbackPort());
        if (target == InjectionTarget.BuildVariable)
        {
            await host.AddVariableAsync(app, "GREETING", "hello", buildtime: true);
        }

        return app;
    }

    private Task StoreAsync(InjectionField field, string app, string payload) => host.UpdateDatabaseAsync(async db =>
    {
        var application = await db.Applications.SingleAsync(a => a.Uuid == app, TestContext.Current.CancellationToken);
        if (field.Target == InjectionTarget.BuildVariable)
        {
            var variable = await db.EnvironmentVariables.SingleAsync(v => v.ApplicationId == application.Id, TestContext.Current.CancellationToken);
            variable.Key = payload;
        }
        else
        {
            field.Store(application, payload);
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    });

    private async Task<JsonNode> RowAsync(string app)
    {
        using var api = host.Api();
        return (await api.GetFromJsonAsync<JsonNode>($"/api/v1/applications/{app}", TestContext.Current.CancellationToken))!;
    }

    private string Marker(InjectionField field) => $"{_markers}-{field.Name}";

    private IEnumerable<string> Markers() => InjectionPayloads.Fields.Select(Marker).Append("/tmp/slipway-pwned");

    private void AssertNoMarker()
    {
        var found = Markers().Where(File.Exists).ToList();
        Assert.True(found.Count == 0, $"A payload ran: {string.Join(", ", found)}");
    }

    private static string Show(string payload) => System.Text.Json.JsonSerializer.Serialize(payload);
}
