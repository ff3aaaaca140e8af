using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Slipway.Testing;

/// <summary>
/// The built <c>slipway</c> executable (<c>artifacts/bin/Slipway.Cli/&lt;configuration&gt;/slipway</c>) as every test
/// project starts it. This file is compiled into each test project, so the configuration is that of the test
/// assembly running it; each project references Slipway.Cli, so building the tests builds the executable too.
/// </summary>
internal static class SlipwayBinary
{
    private static readonly Lazy<string> Located = new(Locate);
    private static readonly ConcurrentDictionary<int, bool> HandedOutPorts = new();

    public static string FilePath => Located.Value;

    /// <summary>
    /// How to start it with <paramref name="arguments"/>: every stream redirected, in the temp directory, and with
    /// none of the machine's Slipway or ASP.NET Core settings: only the flags (and what the caller adds) count.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(FilePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Only the flags say where the data is: settings of the machine running the tests must not leak in.
        string[] machineSettings =
        [
            "SLIPWAY_DATA_DIR", "SLIPWAY_DATABASE", "SLIPWAY_POSTGRES", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT",
            "SLIPWAY_URL", "SLIPWAY_TOKEN", "XDG_CONFIG_HOME", "SLIPWAY_ALLOW_LOCAL_REPOSITORIES", "SLIPWAY_TRUSTED_PROXIES",
            "DOTNET_GCgen0size",
        ];
        foreach (var variable in machineSettings)
        {
            info.Environment.Remove(variable);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>Starts the process described by <paramref name="info"/>; its standard input gets <paramref name="input"/> (if any) and is closed.</summary>
    public static Process Start(ProcessStartInfo info, string? input = null)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {FilePath}.");
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        return process;
    }

    /// <summary>
    /// A loopback port nothing listens on now, for a server a test starts (<c>slipway serve</c>, the API host) or an
    /// application on host networking. It is chosen below the kernel's ephemeral range (32768 and up), where the
    /// tests' own outgoing connections take their local ports, and never handed out twice in this test run: a port
    /// the kernel gave out once can be given to a connection before the server binds it, and the test would then
    /// fail for a reason that is not the code under test.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(20000, 32768);
            if (!HandedOutPorts.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by something else on the machine: try another.
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 32767.");
    }

    private static string Locate()
    {
        // typeof(SlipwayBinary).Assembly is the test assembly this file was compiled into.
        var configuration = typeof(SlipwayBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? throw new InvalidOperationException("The test assembly has no AssemblyConfiguration attribute.");
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"No Slipway.slnx in {AppContext.BaseDirectory} or any directory above it.");
        }

        var path = Path.Combine(directory.FullName, "artifacts", "bin", "Slipway.Cli", configuration.ToLowerInvariant(), "slipway");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The slipway executable is missing; build src/Slipway.Cli in {configuration}.", path);
    }
}
