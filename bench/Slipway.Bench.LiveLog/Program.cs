using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Slipway.Api;
using Slipway.Core.Applications;
using Slipway.Core.Common;
using Slipway.Core.Deployments;
using Slipway.Core.Projects;
using Slipway.Core.Users;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Users;

// Usage: Slipway.Bench.LiveLog [--lines 1000] [--rate 20] [--chromium /usr/bin/chromium]
// A Slipway host (the real API, dashboard and log writer; engine off) on a free loopback port with a fresh data
// directory; an owner signs in in Chromium and opens a running deployment's page; the host then stores LINES lines
// through its own IDeploymentLogStore (as the engine does), RATE a second. Each line's delay is from just before it was
// handed to the writer to the moment the page's log element received it (a MutationObserver's Date.now(); both
// clocks are this machine's). Prints one Markdown list of the figures.
var lines = IntArg("--lines", 1000);
var rate = IntArg("--rate", 20);
var chromium = Arg("--chromium") ?? "/usr/bin/chromium";
const string Email = "bench@example.com";
const string Password = "correct horse battery staple";

var dataDir = Directory.CreateTempSubdirectory("slipway-livelog-").FullName;
try
{
    var url = $"http://127.0.0.1:{FreePort()}";
    await using var app = SlipwayServer.Build(["--urls", url, $"--Slipway:DataDir={dataDir}", "--Slipway:Engine:Enabled=false", "--Logging:LogLevel:Default=Warning"]);
    await app.StartAsync();
    var created = await app.Services.GetRequiredService<UserService>().CreateAsync(0, Email, Password, UserRoles.Owner, CancellationToken.None);
    if (created.Error is not null)
    {
        throw new InvalidOperationException(created.Error);
    }

    var (deploymentId, path) = await SeedRunningDeploymentAsync(app.Services.GetRequiredService<IDbContextFactory<SlipwayDbContext>>());
    var log = app.Services.GetRequiredService<IDeploymentLogStore>();

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    var page = await browser.NewPageAsync(new() { BaseURL = url });
    await page.GotoAsync("/login");
    await page.GetByLabel("E-mail address").FillAsync(Email);
    await page.GetByLabel("Password").FillAsync(Password);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await page.WaitForURLAsync("**/projects");
    await page.GotoAsync(path);
    await page.EvaluateAsync("""
        () => {
          window.benchSeen = {};
          new MutationObserver(records => {
            const now = Date.now();
            for (const record of records) for (const node of record.addedNodes) {
              const match = /bench line (\d+)/.exec(node.textContent || "");
              if (match && !(match[1] in window.benchSeen)) window.benchSeen[match[1]] = now;
            }
          }).observe(document.getElementById("log"), { childList: true, subtree: true });
        }
        """);

    // The stream is connected once a warm-up line arrives.
    await log.AppendAsync(deploymentId, [LogLine.Info("bench line 000000 warm-up")], CancellationToken.None);
    await page.WaitForFunctionAsync("() => '000000' in window.benchSeen", null, new() { Timeout = 30_000 });

    var sent = new double[lines + 1];
    var clock = System.Diagnostics.Stopwatch.StartNew();
    for (var i = 1; i <= lines; i++)
    {
        var due = TimeSpan.FromSeconds((double)(i - 1) / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        sent[i] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await log.AppendAsync(deploymentId, [LogLine.Info(FormattableString.Invariant($"bench line {i:D6} #12 [build 3/7] RUN npm ci --no-audit --prefer-offline ... done"))], CancellationToken.None);
    }

    try
    {
        await page.WaitForFunctionAsync($"() => Object.keys(window.benchSeen).length >= {lines + 1}", null, new() { Timeout = 30_000 });
    }
    catch (TimeoutException)
    {
        // Reported below as missing lines.
    }

    var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.benchSeen");
    var delays = Enumerable.Range(1, lines)
        .Where(i => seen.ContainsKey(i.ToString("D6", CultureInfo.InvariantCulture)))
        .Select(i => seen[i.ToString("D6", CultureInfo.InvariantCulture)] - sent[i])
        .Order().ToArray();
    var missing = lines - delays.Length;
    var inPage = await page.Locator("#log li").CountAsync();
    Console.WriteLine(FormattableString.Invariant(
        $"- live log in Chromium: {lines} lines at {rate} lines/s stored while the deployment page was open; seen {delays.Length}, missing **{missing}**; {inPage} lines in the page at the end"));
    if (delays.Length > 0)
    {
        Console.WriteLine(FormattableString.Invariant(
            $"- delay handed to the writer → in the page: p50 **{Percentile(delays, 0.50):0} ms**, p90 {Percentile(delays, 0.90):0} ms, p99 **{Percentile(delays, 0.99):0} ms**, max {delays[^1]:0} ms (goal p99 < 250 ms: **{(Percentile(delays, 0.99) < 250 && missing == 0 ? "met" : "missed")}**)"));
    }

    await app.StopAsync();
    return missing == 0 ? 0 : 1;
}
finally
{
    try
    {
        Directory.Delete(dataDir, recursive: true);
    }
    catch (IOException)
    {
    }
}

static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task<(long Id, string Path)> SeedRunningDeploymentAsync(IDbContextFactory<SlipwayDbContext> contexts)
{
    await using var db = await contexts.CreateDbContextAsync();
    var server = await db.Servers.SingleAsync(s => s.IsLocalhost && s.TeamId == 0);
    var now = Timestamps.Now(TimeProvider.System);
    var project = new Project { Uuid = PublicId.New(), TeamId = 0, Name = "storefront", CreatedAt = now, UpdatedAt = now };
    project.Environments.Add(new ProjectEnvironment { Uuid = PublicId.New(), Name = ProjectEnvironment.DefaultName, CreatedAt = now, UpdatedAt = now });
    db.Projects.Add(project);
    await db.SaveChangesAsync();
    var application = new Application
    {
        Uuid = PublicId.New(),
        TeamId = 0,
        EnvironmentId = project.Environments[0].Id,
        ServerId = server.Id,
        Name = "storefront",
        GitRepository = "https://github.com/acme/storefront.git",
        GitBranch = "main",
        BuildPack = BuildPack.Dockerfile,
        PortsExposes = "3000",
        CreatedAt = now,
        UpdatedAt = now,
    };
    db.Applications.Add(application);
    await db.SaveChangesAsync();
    var uuid = PublicId.New();
    var path = $"/project/{project.Uuid}/environment/{project.Environments[0].Uuid}/application/{application.Uuid}/deployment/{uuid}";
    var deployment = new Deployment
    {
        Uuid = uuid,
        ApplicationId = application.Id,
        TeamId = 0,
        ServerId = server.Id,
        ServerName = server.Name,
        ApplicationName = application.Name,
        DestinationId = server.Id.ToString(CultureInfo.InvariantCulture),
        DeploymentUrl = path,
        Commit = "HEAD",
        Status = DeploymentStatus.InProgress,
        IsApi = true,
        CreatedAt = now,
        UpdatedAt = now,
        StartedAt = now,
    };
    db.Deployments.Add(deployment);
    await db.SaveChangesAsync();
    return (deployment.Id, path);
}

string? Arg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int IntArg(string name, int fallback) => Arg(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
