using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;
using Slipway.Core.Tests.Fakes;
using static Slipway.Core.Tests.Proxy.ProxyFixtures;

namespace Slipway.Core.Tests.Proxy;

/// <summary>The reconcile logic with a recording Docker and a fake admin API; the real Caddy runs in the integration tests.</summary>
public sealed class ProxyServiceTests
{
    private readonly FakeCommandRunner _docker = new();
    private readonly FakeStore _store = new();
    private readonly FakeAdmin _admin = new();

    public ProxyServiceTests() => _docker.When(FakeCommandRunner.Starts("docker", "container", "inspect"), 0, "running\tslipway-test/caddy:latest\t2099");

    [Fact]
    public async Task Reconcile_SameStateTwice_PushesOnce()
    {
        using var service = Service();

        var first = await service.ReconcileAsync(1, TestContext.Current.CancellationToken);
        var second = await service.ReconcileAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal((ProxyReconcileOutcome.Pushed, ProxyReconcileOutcome.Unchanged), (first.Outcome, second.Outcome));
        Assert.Equal(1, _admin.Pushes);
        Assert.Equal((1L, 2L), (first.Generation, second.Generation));
    }

    [Fact]
    public async Task Reconcile_NewerGenerationAlreadyRunning_IsDroppedAsStale()
    {
        using var service = Service();
        _admin.Config = """{"admin":{"@id":"slipway-config-99-0123456789abcdef"}}""";

        var result = await service.ReconcileAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal(ProxyReconcileOutcome.Stale, result.Outcome);
        Assert.Equal(0, _admin.Pushes);
    }

    [Fact]
    public async Task Reconcile_ConfigChangedBetweenReadAndPush_ReadsAgainAndPushes()
    {
        using var service = Service();
        _admin.RefuseNext = 1;

        var result = await service.ReconcileAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal(ProxyReconcileOutcome.Pushed, result.Outcome);
        Assert.Equal((2, 1), (_admin.Attempts, _admin.Pushes));
    }

    [Fact]
    public async Task Reconcile_ChangedState_PushesTheNewConfigWithTheNextGeneration()
    {
        using var service = Service();
        await service.ReconcileAsync(1, TestContext.Current.CancellationToken);
        _store.Applications = [Routed(App(1, "http://new.example.com"))];

        var result = await service.ReconcileAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal(ProxyReconcileOutcome.Pushed, result.Outcome);
        Assert.Contains("new.example.com", _admin.Config, StringComparison.Ordinal);
        Assert.Equal(2, ProxyService.ReadMarker(_admin.Config).Generation);
    }

    [Fact]
    public async Task Reconcile_NoContainer_CreatesItWritesItsFilesThenStartsIt()
    {
        var target = new FakeExecutionTarget(new FakeCommandRunner());
        var docker = new ScriptedDocker(() => _admin.Config = target.Files.Single(f => f.Key.EndsWith("autosave.json", StringComparison.Ordinal)).Value);
        _store.Server.Proxy.AcmeCaRoot = "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n";
        using var service = Service(new RunnerTarget(docker, target));

        var result = await service.ReconcileAsync(1, TestContext.Current.CancellationToken);

        // Caddy resumes from the autosave written before the start: it already runs this config.
        Assert.Equal(ProxyReconcileOutcome.Unchanged, result.Outcome);
        Assert.Equal(["container inspect", "volume create", "create --name", "cp /work/proxy-", "start slipway-proxy-test"], docker.Commands.Select(c => c[..Math.Min(c.Length, c.StartsWith("cp", StringComparison.Ordinal) ? 15 : c.StartsWith("start", StringComparison.Ordinal) ? 24 : c.StartsWith("create", StringComparison.Ordinal) ? 13 : c.IndexOf(' ', c.IndexOf(' ', StringComparison.Ordinal) + 1))]));
        Assert.Contains("--network host --restart unless-stopped", docker.Commands[2], StringComparison.Ordinal);
        Assert.EndsWith("slipway-test/caddy:latest caddy run --resume", docker.Commands[2], StringComparison.Ordinal);
        var autosave = Assert.Single(target.Files, f => f.Key.EndsWith("/config/caddy/autosave.json", StringComparison.Ordinal)).Value;
        Assert.Equal(result.Generation, ProxyService.ReadMarker(autosave).Generation);
        Assert.Contains(target.Files, f => f.Key.EndsWith("/slipway/acme-ca-root.pem", StringComparison.Ordinal) && f.Value.Contains("root", StringComparison.Ordinal));
        Assert.Contains(target.Operations, o => o.StartsWith("rmdir /work/proxy-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_ProxyTurnedOff_RemovesTheContainer()
    {
        _store.Server.Proxy.Type = ProxyTypes.None;
        using var service = Service();

        var result = await service.ReconcileAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal(ProxyReconcileOutcome.Disabled, result.Outcome);
        Assert.Contains("docker rm -f slipway-proxy-test", _docker.Rendered);
        Assert.Equal(0, _admin.Pushes);
    }

    [Fact]
    public async Task Reconcile_ManyAtOnce_EndsWithTheNewestState()
    {
        using var service = Service();
        _admin.Delay = TimeSpan.FromMilliseconds(5);
        var runs = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            _store.Applications = [Routed(App(1, $"http://v{i}.example.com"))];
            return await service.ReconcileAsync(1, TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken)).ToList();
        await Task.WhenAll(runs);
        _store.Applications = [Routed(App(1, "http://final.example.com"))];
        service.RequestReconcile(1);
        service.RequestReconcile(1);

        await Poll(() => _admin.Config.Contains("final.example.com", StringComparison.Ordinal));
        Assert.Equal(_store.Generation, ProxyService.ReadMarker(_admin.Config).Generation);
    }

    [Fact]
    public void ParseAttempts_CaddyLog_GivesEachHostsLastCertificateEvent()
    {
        string[] log =
        [
            """{"level":"info","logger":"tls.obtain","msg":"obtaining certificate","identifier":"a.example.com"}""",
            """{"level":"error","logger":"tls.obtain","msg":"could not get certificate from issuer","identifier":"a.example.com","error":"connection refused"}""",
            """{"level":"info","logger":"tls.obtain","msg":"obtaining certificate","identifier":"b.example.com"}""",
            """{"level":"info","logger":"tls.obtain","msg":"certificate obtained successfully","identifier":"b.example.com"}""",
            """{"level":"info","logger":"tls.obtain","msg":"obtaining certificate","identifier":"c.example.com"}""",
            "not json",
        ];

        var attempts = ProxyService.ParseAttempts(log);

        Assert.Equal(("failed", "connection refused"), attempts["a.example.com"]);
        Assert.Equal(("valid", (string?)null), attempts["b.example.com"]);
        Assert.Equal(("pending", (string?)null), attempts["c.example.com"]);
    }

    private ProxyService Service(IExecutionTarget? target = null) => new(
        _store,
        new Targets(target ?? new FakeExecutionTarget(_docker)),
        _admin,
        new NoCertificates(),
        new ProxyOptions { ContainerName = "slipway-proxy-test", AdminReadyTimeout = TimeSpan.FromSeconds(5) },
        new FakeTimeProvider(DateTimeOffset.UnixEpoch) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) },
        NullLogger<ProxyService>.Instance);

    private static async Task Poll(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    private sealed class FakeStore : IProxyStore
    {
        private long _generation;

        public Server Server { get; } = new()
        {
            Id = 1,
            Uuid = "server1",
            Name = "s",
            Ip = "127.0.0.1",
            IsLocalhost = true,
            Proxy = ProxySettings(s => s.Image = "slipway-test/caddy:latest"),
        };

        public volatile RoutedApplication[] Applications = [Routed(App(1, "http://app.example.com"))];

        public long Generation => Interlocked.Read(ref _generation);

        public Task<ProxyState?> LoadAsync(long serverId, CancellationToken cancellationToken) =>
            Task.FromResult<ProxyState?>(new ProxyState(Server, Applications));

        public Task<long> NextGenerationAsync(long serverId, CancellationToken cancellationToken) =>
            Task.FromResult(Interlocked.Increment(ref _generation));

        public Task<IReadOnlyList<long>> ProxiedServersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<long>>([1]);
    }

    private sealed class FakeAdmin : ICaddyAdmin
    {
        private readonly Lock _gate = new();
        private int _version;

        public string Config { get; set; } = "{}";
        public int Pushes { get; private set; }
        public int Attempts { get; private set; }
        public int RefuseNext { get; set; }
        public TimeSpan Delay { get; set; }

        public Task<CaddyConfigSnapshot?> GetConfigAsync(Server server, int adminPort, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return Task.FromResult<CaddyConfigSnapshot?>(new CaddyConfigSnapshot(Config, Etag()));
            }
        }

        public Task<IReadOnlyDictionary<string, int>?> UpstreamRequestsAsync(Server server, int adminPort, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, int>?>(new Dictionary<string, int>());

        public async Task<bool> ReplaceConfigAsync(Server server, int adminPort, string config, string etag, CancellationToken cancellationToken)
        {
            await Task.Delay(Delay, cancellationToken);
            lock (_gate)
            {
                Attempts++;
                if (RefuseNext > 0)
                {
                    RefuseNext--;
                    _version++;
                    return false;
                }

                if (etag != Etag())
                {
                    return false;
                }

                Config = config;
                _version++;
                Pushes++;
                return true;
            }
        }

        private string Etag() => "\"/config/ " + _version.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"";
    }

    private sealed class NoCertificates : ICertificateProbe
    {
        public Task<ServedCertificate?> ProbeAsync(Server server, int httpsPort, string host, CancellationToken cancellationToken) => Task.FromResult<ServedCertificate?>(null);
    }

    /// <summary>Docker with no proxy container until <c>docker create</c>; then it runs, and Caddy answers with the autosave written before the start.</summary>
    private sealed class ScriptedDocker(Action started) : ICommandRunner
    {
        private bool _exists;

        public List<string> Commands { get; } = [];

        public async IAsyncEnumerable<CommandEvent> StreamAsync(CommandSpec command, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            var line = string.Join(' ', command.Arguments.Select(a => a.Value));
            Commands.Add(line);
            yield return new CommandStarted(1);
            if (line.StartsWith("container inspect", StringComparison.Ordinal) && !_exists)
            {
                yield return new OutputLine(OutputStream.StandardError, "Error: No such container: slipway-proxy-test");
                yield return new CommandExited(1);
                yield break;
            }

            _exists |= line.StartsWith("create", StringComparison.Ordinal);
            if (line.StartsWith("start", StringComparison.Ordinal))
            {
                started();
            }

            yield return new CommandExited(0);
        }
    }

    /// <summary>A target whose commands go to <paramref name="runner"/> and whose files go to <paramref name="files"/>.</summary>
    private sealed class RunnerTarget(ICommandRunner runner, FakeExecutionTarget files) : IExecutionTarget
    {
        public string Description => "scripted";
        public ICommandRunner Runner => runner;
        public string WorkRoot => files.WorkRoot;

        public Task WritePrivateFileAsync(string path, string content, CancellationToken cancellationToken) => files.WritePrivateFileAsync(path, content, cancellationToken);

        public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken) => files.CreateDirectoryAsync(path, cancellationToken);

        public Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken) => files.DeleteDirectoryAsync(path, cancellationToken);
    }

    private sealed class Targets(IExecutionTarget target) : IExecutionTargets
    {
        public Task<IExecutionTarget> GetAsync(Server server, CancellationToken cancellationToken) => Task.FromResult(target);
    }
}
