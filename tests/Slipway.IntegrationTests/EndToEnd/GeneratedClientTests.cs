using System.Diagnostics;
using Slipway.IntegrationTests.Fixtures;
using Slipway.Testing;

namespace Slipway.IntegrationTests.EndToEnd;

/// <summary>
/// A TypeScript client generated from Slipway's OpenAPI document by a real generator (@hey-api/openapi-ts, installed
/// by <c>./test.sh</c> into <c>tests/clients/typescript</c>), compiled with <c>tsc</c>, deploys an application on the
/// live engine host (node reaches it on its loopback port) and waits for the outcome with it.
/// </summary>
public sealed class GeneratedClientTests(EngineHost host) : IClassFixture<EngineHost>
{
    private const string Page = "<h1>Deployed by the generated client</h1>";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task GeneratedTypeScriptClient_DeployAndWait_FinishesAndTheAppServes()
    {
        var package = PackageDirectory();
        Assert.True(File.Exists(Path.Combine(package, "node_modules", ".bin", "openapi-ts")),
            $"{package}/node_modules is missing: ./test.sh installs it (npm ci) before the tests.");
        var work = Directory.CreateTempSubdirectory("slipway-ts-client-").FullName;
        try
        {
            var document = Path.Combine(work, "openapi.json");
            using (var api = host.Api())
            {
                await File.WriteAllTextAsync(document, await api.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            }

            File.Copy(Path.Combine(package, "deploy.ts"), Path.Combine(work, "deploy.ts"));
            File.Copy(Path.Combine(package, "tsconfig.json"), Path.Combine(work, "tsconfig.json"));
            var bin = Path.Combine(package, "node_modules", ".bin");

            await RunAsync(work, Path.Combine(bin, "openapi-ts"), ["-i", document, "-o", Path.Combine(work, "client"), "-c", "@hey-api/client-fetch"]);
            await RunAsync(work, Path.Combine(bin, "tsc"), ["-p", "tsconfig.json", "--typeRoots", Path.Combine(package, "node_modules", "@types")]);
            using var repository = await GitRepository.CreateAsync();
            await repository.Write("index.html", Page + "\n").CommitAsync("A static page");
            var port = SlipwayBinary.FreeLoopbackPort();
            var uuid = await host.CreateStaticSiteAsync(repository, port);
            var output = await RunAsync(work, "node", [Path.Combine(work, "dist", "deploy.js")], new Dictionary<string, string>
            {
                ["SLIPWAY_URL"] = host.Url,
                ["SLIPWAY_TOKEN"] = host.RootToken,
                ["APP_UUID"] = uuid,
            });

            Assert.Contains("final finished", output, StringComparison.Ordinal);
            Assert.Contains(Page, await EngineHost.FetchAsync(port), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string PackageDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "clients", "typescript");
            if (File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No tests/clients/typescript above the test binaries.");
    }

    /// <summary>Runs a program to the end; fails the test with its output when it exits non-zero or overruns.</summary>
    private static async Task<string> RunAsync(string directory, string program, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(program)} did not finish within {StepTimeout}: {await stdout}{await stderr}");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
