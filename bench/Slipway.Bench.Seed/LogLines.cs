using System.Globalization;
using Slipway.Core.Deployments;

namespace Slipway.Bench.Seed;

/// <summary>
/// A deterministic, realistic deployment log: Slipway's own messages, a clone, a long Docker build with npm
/// output (BuildKit writes progress to stderr), and a rollout. Lines are mostly 60–120 characters; hidden
/// debug lines carry the command that produced them, as the engine writes them.
/// </summary>
internal static class LogLines
{
    private const string Repository = "https://github.com/acme/storefront.git";
    private const string BuildCommand = "docker build --network host -f /artifacts/d/Dockerfile --build-arg SOURCE_COMMIT=9f2c1e7 -t storefront:9f2c1e7 /artifacts/d";

    private static readonly string[] Packages =
    [
        "@babel/core", "@babel/preset-env", "react-dom", "next", "typescript", "eslint-plugin-import", "postcss",
        "tailwindcss", "webpack", "esbuild", "@types/node", "lodash.merge", "glob", "rimraf", "inflight", "semver",
        "@next/swc-linux-x64-gnu", "caniuse-lite", "browserslist", "@img/sharp-linuxmusl-x64", "zod", "prisma",
    ];

    private static readonly string[] Routes =
    [
        "/", "/cart", "/checkout", "/products/[slug]", "/account/orders", "/api/health", "/search", "/blog/[...slug]",
    ];

    public static List<DeploymentLogEntry> Build(long deploymentId, int count, DateTime start)
    {
        var random = new Random(20261128);
        var entries = new List<DeploymentLogEntry>(count);
        for (var i = 1; i <= count; i++)
        {
            var phase = i <= 12 ? 0 : i <= 40 ? 1 : i <= count - 60 ? 2 : 3;
            var (output, type, command, hidden) = phase switch
            {
                0 => Intro(i),
                1 => Clone(random, i),
                2 => DockerBuild(random, i),
                _ => Rollout(random, i),
            };
            entries.Add(new DeploymentLogEntry
            {
                DeploymentId = deploymentId,
                Order = i,
                Type = type,
                Output = output,
                Command = command,
                Hidden = hidden,
                Batch = phase + 1,
                Timestamp = start.AddMilliseconds(i * 37),
            });
        }

        return entries;
    }

    private static (string, string, string?, bool) Intro(int i) => i switch
    {
        1 => ("Starting deployment of acme/storefront:main to localhost (commit 9f2c1e7, triggered by API).", LogLine.Stdout, null, false),
        2 => ("Preparing container with helper image ghcr.io/slipway/helper:1.4.2 on server localhost.", LogLine.Stdout, null, false),
        _ => ($"Checking prerequisites {i - 2}/10: docker, buildx, disk space, network slipway, ports 80/443 free.", LogLine.Stdout, "docker info --format '{{json .}}'", true),
    };

    private static (string, string, string?, bool) Clone(Random random, int i)
    {
        const string command = "git clone --depth 1 --recurse-submodules --branch main " + Repository + " /artifacts/d";
        return (i % 4) switch
        {
            0 => ($"remote: Counting objects: {random.Next(10, 100)}% ({random.Next(100, 2400)}/2412), done. Compressing in progress.", LogLine.Stderr, command, false),
            1 => ($"Receiving objects: {random.Next(10, 100)}% ({random.Next(100, 2400)}/2412), {random.Next(1, 40)}.{random.Next(10, 99)} MiB | {random.Next(5, 90)}.00 MiB/s", LogLine.Stderr, command, false),
            2 => ($"Resolving deltas: {random.Next(10, 100)}% ({random.Next(100, 900)}/912), completed with {random.Next(0, 9)} local objects.", LogLine.Stderr, command, false),
            _ => ($"[debug] git rev-parse HEAD => 9f2c1e7b4d0a{random.Next(100000, 999999)}c3e1 (branch main, shallow clone).", LogLine.Stdout, "git -C /artifacts/d rev-parse HEAD", true),
        };
    }

    private static (string, string, string?, bool) DockerBuild(Random random, int i)
    {
        var step = 10 + (i / 400);
        var seconds = (i * 0.043).ToString("0.000", CultureInfo.InvariantCulture);
        var package = Packages[random.Next(Packages.Length)];
        var version = $"{random.Next(0, 20)}.{random.Next(0, 30)}.{random.Next(0, 12)}";
        var roll = random.Next(100);
        if (roll < 5)
        {
            return ($"[debug] buildkit progress: vertex sha256:{Hex(random, 24)} started, cached=false.", LogLine.Stdout, BuildCommand, true);
        }

        if (roll < 35)
        {
            return ($"#{step} {seconds} npm warn deprecated {package}@{version}: This version is no longer supported; upgrade to {random.Next(1, 9)}.x", LogLine.Stderr, null, false);
        }

        if (roll < 60)
        {
            return ($"#{step} {seconds} added {random.Next(1, 400)} packages, audited {random.Next(400, 1400)} in {random.Next(1, 59)}s ({package}@{version})", LogLine.Stdout, null, false);
        }

        if (roll < 80)
        {
            var route = Routes[random.Next(Routes.Length)];
            return ($"#{step} {seconds} ├ ○ {route,-24} {random.Next(1, 99)}.{random.Next(0, 9)} kB {random.Next(80, 240)} kB (static, prerendered)", LogLine.Stdout, null, false);
        }

        if (roll < 95)
        {
            return ($"#{step} [build {random.Next(1, 9)}/9] RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --prefer-offline", LogLine.Stderr, null, false);
        }

        return ($"#{step} DONE {random.Next(0, 90)}.{random.Next(0, 9)}s sha256:{Hex(random, 32)}", LogLine.Stderr, null, false);
    }

    private static (string, string, string?, bool) Rollout(Random random, int i) => (i % 3) switch
    {
        0 => ($"Waiting for healthcheck: GET http://localhost:3000/api/health attempt {random.Next(1, 10)}/10, status 200 OK.", LogLine.Stdout, null, false),
        1 => ($"Container storefront-9f2c1e7-{random.Next(100000, 999999)} started; removing old container storefront-4b81d0a.", LogLine.Stdout, null, false),
        _ => ($"[debug] docker inspect --format '{{{{.State.Health.Status}}}}' storefront-9f2c1e7 => healthy ({random.Next(2, 40)} ms)", LogLine.Stdout, "docker inspect storefront-9f2c1e7", true),
    };

    private static string Hex(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = "0123456789abcdef"[random.Next(16)];
        }

        return new string(chars);
    }
}
