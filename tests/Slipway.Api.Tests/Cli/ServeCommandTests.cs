using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Hosting;
using Slipway.Api.Tests.Fixtures;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Data;
using Slipway.Testing;

namespace Slipway.Api.Tests.Cli;

/// <summary><c>slipway serve</c> as a real process on a free loopback port.</summary>
public sealed partial class ServeCommandTests
{
    private const string RootTokenPrefix = "Root API token: ";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Serve_FirstStart_PrintsRootTokenThatAuthenticates_SecondStartPrintsNone()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string rootToken;

        await using (var first = ServedSlipway.Start(database))
        {
            rootToken = (await first.WaitForOutputLineAsync(RootTokenPrefix, StartupTimeout))[RootTokenPrefix.Length..];
            await first.WaitUntilHealthyAsync(http, StartupTimeout);

            using var health = await http.GetAsync(new Uri(first.BaseAddress, "/api/v1/health"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("OK", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            using (var anonymous = await http.GetAsync(new Uri(first.BaseAddress, "/api/v1/tokens/current"), TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            await AssertCurrentTokenIsRootAsync(http, first, rootToken);

            var output = await first.StopAsync();
            Assert.Single(output, l => l.StartsWith(RootTokenPrefix, StringComparison.Ordinal));
            // A fresh database is not an error: EF Core logs one for reading a migration history that is not there yet.
            Assert.DoesNotContain(output, l => l.StartsWith("fail:", StringComparison.Ordinal));
        }

        await using var second = ServedSlipway.Start(database);
        await second.WaitUntilHealthyAsync(http, StartupTimeout);
        await AssertCurrentTokenIsRootAsync(http, second, rootToken);
        var secondOutput = await second.StopAsync();
        Assert.DoesNotContain(secondOutput, l => l.Contains(RootTokenPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_IdleAfterARead_WatchesNoFiles_AndOnSqliteHasNotLoadedTheKeyRing()
    {
        // The served process runs in the temporary directory, which holds this test's data directory and others'.
        await using var database = await TestDatabase.CreateAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var served = ServedSlipway.Start(database);
        var rootToken = (await served.WaitForOutputLineAsync(RootTokenPrefix, StartupTimeout))[RootTokenPrefix.Length..];
        await served.WaitUntilHealthyAsync(http, StartupTimeout);
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(http, served, rootToken, "/api/v1/deployments"));

        // Each inotify watch the process holds is one "inotify wd:" line in the fdinfo of its inotify descriptor
        // (only those are read: other descriptors come and go with requests and background work).
        var process = $"/proc/{served.ProcessId}";
        var watches = new DirectoryInfo($"{process}/fd").EnumerateFileSystemInfos()
            .Where(fd => fd.LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"{process}/fdinfo/{fd.Name}").Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal)));
        Assert.True(watches == 0, $"slipway serve holds {watches} inotify watches; it reads no file it should watch.");

        // Data Protection reads its XML key files with System.Private.Xml: not mapped, the ring was not loaded. On
        // PostgreSQL the instances prepare their shared ring at start (DatabaseKeyRing), so it is.
        if (!TestDatabase.UsePostgres)
        {
            var mapped = await File.ReadAllTextAsync($"{process}/maps", TestContext.Current.CancellationToken);
            Assert.False(mapped.Contains("/System.Private.Xml.dll", StringComparison.Ordinal), "slipway serve loaded its key ring (System.Private.Xml is mapped) though no secret was used.");
        }
    }

    [Fact]
    public async Task Serve_CapsTheGen0Budget_InTheProcessItWasStartedAs()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // An empty last argument, which the re-executed process must get as it was given.
        await using var served = ServedSlipway.Start(database, arguments: ["--trusted-proxies", ""]);
        await served.WaitUntilHealthyAsync(http, StartupTimeout);

        // The process that answers is the one started (re-executed in place, same id), and its runtime started with
        // the cap: the environment a process was exec'd with is what /proc/PID/environ holds.
        Assert.Contains($"{Gen0Budget.Variable}={Gen0Budget.Value}", await ProcessEnvironmentAsync(served.ProcessId));

        // dotnet-counters, dotnet-dump and dotnet-trace still attach: the runtime that serves listens on its diagnostic
        // socket (the one that re-executed left a file of the same name, on which nothing listened).
        // (A file left by an earlier process that had the same id may sit next to it, hence any.)
        var sockets = Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{served.ProcessId}-*-socket");
        Assert.True(sockets.Any(Accepts), $"No diagnostic socket of slipway serve accepts a connection: {string.Join(", ", sockets)}.");
    }

    [Theory]
    [InlineData(Gen0Budget.Variable, "0x800000", "0x800000")] // the user's own budget
    [InlineData("DOTNET_gcServer", "1", null)] // server GC: the budget it comes with
    public async Task Serve_Gen0BudgetChosenByTheUser_IsKept(string variable, string value, string? budget)
    {
        await using var database = await TestDatabase.CreateAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var served = ServedSlipway.Start(database, new Dictionary<string, string> { [variable] = value });
        await served.WaitUntilHealthyAsync(http, StartupTimeout);

        var budgets = (await ProcessEnvironmentAsync(served.ProcessId)).Where(v => v.StartsWith($"{Gen0Budget.Variable}=", StringComparison.Ordinal));
        Assert.Equal(budget is null ? [] : [$"{Gen0Budget.Variable}={budget}"], budgets);
    }

    [Fact]
    [Trait(TestDatabase.TraitName, TestDatabase.AnyDatabase)] // the trim sees requests and allocations, not the database
    public async Task Serve_QuietAfterABurst_ReturnsMemoryToTheSystem_OncePerBurst()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var served = ServedSlipway.Start(
            database, new Dictionary<string, string> { [$"Logging__LogLevel__{typeof(IdleMemoryTrimmer).FullName}"] = "Debug" });
        var rootToken = (await served.WaitForOutputLineAsync(RootTokenPrefix, StartupTimeout))[RootTokenPrefix.Length..];
        await served.WaitUntilHealthyAsync(http, StartupTimeout);

        // Start-up (migrations, the model, the first queries) is the first burst, and what it left is given back.
        var (before, after) = (await WaitForTrimsAsync(served, 1))[0];
        Assert.True(after < before, $"Resident {before} MiB before the trim, {after} MiB after it.\n{served.Transcript()}");

        // A burst of reads is trimmed once, a second after it ends; an idle server then does nothing more.
        for (var read = 0; read < 400; read++)
        {
            Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(http, served, rootToken, "/api/v1/deployments"));
        }

        await WaitForTrimsAsync(served, 2);
        await Task.Delay(IdleMemoryTrimmer.QuietPeriod * 3, TestContext.Current.CancellationToken);
        Assert.Equal(2, Trims(served).Count);
    }

    [Fact]
    public async Task Serve_TokenRevokedByTheCliInAnotherProcess_IsRefusedWithinASecond()
    {
        // SQLite: the server sees the CLI's write through PRAGMA data_version; PostgreSQL: through the trigger's notification.
        await using var database = await TestDatabase.CreateAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var served = ServedSlipway.Start(database);
        await served.WaitUntilHealthyAsync(http, StartupTimeout);
        var data = SlipwayExecutable.DataArguments(database);
        var token = (await SlipwayExecutable.RunAsync(["tokens", "create", "--name", "ci", "--abilities", "read", .. data])).AssertSucceeded().OutputLines[^1];
        // Used once, so the server holds the token in its cache when the CLI revokes it.
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(http, served, token, "/api/v1/tokens/current"));

        (await SlipwayExecutable.RunAsync(["tokens", "revoke", token[..token.IndexOf('|', StringComparison.Ordinal)], .. data])).AssertSucceeded();
        var revoked = System.Diagnostics.Stopwatch.StartNew();
        while (await GetStatusAsync(http, served, token, "/api/v1/tokens/current") != HttpStatusCode.Unauthorized)
        {
            Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(1), $"The revoked token still worked {revoked.ElapsedMilliseconds} ms after the CLI revoked it.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Serve_DatabaseMigratedByANewerVersion_RefusesToStartNamingTheMigration()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        await using (var services = new ServiceCollection().AddLogging()
            .AddSlipwayData(new SlipwayDataOptions { DataDir = database.DataDir, Database = database.Provider, PostgresConnectionString = database.ConnectionString })
            .BuildServiceProvider())
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContextAsync(ct);
            await db.Database.MigrateAsync(ct);
            // What a later Slipway leaves behind: a migration this build does not know.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('29991231235959_FromANewerSlipway', '99.0.0')", ct);
        }

        await using var process = CliProcess.Start(
            ["serve", "--urls", $"http://127.0.0.1:{Slipway.Testing.SlipwayBinary.FreeLoopbackPort()}", .. SlipwayExecutable.DataArguments(database)],
            new Dictionary<string, string?> { ["SLIPWAY_MASTER_KEY"] = "served-test-master-key-0123456789abcdefghijklmnop" });
        var result = await process.WaitForExitAsync(CliProcess.CommandTimeout);

        result.AssertError(1, "The database was migrated by a newer version of Slipway (migration 29991231235959_FromANewerSlipway)");
    }

    [Fact]
    public async Task Serve_TrustedProxiesNotAnAddress_ExitsWithOneErrorNamingIt()
    {
        await using var database = await TestDatabase.CreateAsync();

        var result = await SlipwayExecutable.RunAsync(
            ["serve", "--urls", $"http://127.0.0.1:{Slipway.Testing.SlipwayBinary.FreeLoopbackPort()}", "--trusted-proxies", "10.0.0.1,proxy.lan", .. SlipwayExecutable.DataArguments(database)]);

        result.AssertError(1, "'proxy.lan' is not an IP address or a CIDR network");
    }

    private static async Task<HttpStatusCode> GetStatusAsync(HttpClient http, ServedSlipway server, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static async Task AssertCurrentTokenIsRootAsync(HttpClient http, ServedSlipway server, string rootToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "/api/v1/tokens/current"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rootToken);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/v1/tokens/current: {(int)response.StatusCode} {body}\n{server.Transcript()}");

        using var json = JsonDocument.Parse(body);
        Assert.Equal(long.Parse(rootToken[..rootToken.IndexOf('|', StringComparison.Ordinal)]), json.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("team_id").GetInt64());
        Assert.Contains("root", json.RootElement.GetProperty("abilities").EnumerateArray().Select(a => a.GetString()));
    }

    /// <summary>The trims <see cref="IdleMemoryTrimmer"/> logged at Debug: resident MiB before and after each.</summary>
    private static List<(int Before, int After)> Trims(ServedSlipway served) =>
        [.. served.OutputLines.Select(l => TrimLine().Match(l)).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    private static async Task<List<(int Before, int After)>> WaitForTrimsAsync(ServedSlipway served, int count)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Trims(served) is var trims && trims.Count < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{trims.Count} trims logged, {count} expected.\n{served.Transcript()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return Trims(served);
    }

    [GeneratedRegex(@"Returned unused memory to the system .*: resident (\d+) MiB before, (\d+) MiB after")]
    private static partial Regex TrimLine();

    private static async Task<string[]> ProcessEnvironmentAsync(int processId) =>
        (await File.ReadAllTextAsync($"/proc/{processId}/environ", TestContext.Current.CancellationToken)).Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static bool Accepts(string unixSocketPath)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            client.Connect(new UnixDomainSocketEndPoint(unixSocketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
