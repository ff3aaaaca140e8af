using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Auth;
using Slipway.Api.Tests.Deployments;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Auth;

/// <summary>
/// The README's table of what each ability allows is the truth: it names every route under <c>/api/v1</c> with the
/// ability it needs, no more and no fewer than the running host has, and every route it names answers Coolify's 403
/// to a token with every other ability and lets a token with just that one through.
/// </summary>
public sealed partial class AbilityTableTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string AnyToken = "any valid token";
    private const string NoToken = "no token";

    /// <summary>A plausible id for every route parameter: the ability check comes first, so no row has to exist.</summary>
    private const string SomeId = "abcdefghijklmnopqrstuvwx";

    private static readonly ApiAbility[] Singles =
        [ApiAbility.Read, ApiAbility.Write, ApiAbility.Deploy, ApiAbility.ReadSensitive, ApiAbility.WriteSensitive];

    public static TheoryData<string, string, string> ReadmeRoutes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (method, path, ability) in ReadmeTable())
        {
            data.Add(method, path, ability);
        }

        return data;
    }

    [Fact]
    public void ReadmeTable_NamesExactlyTheRoutesOfTheHostWithTheirAbility()
    {
        var hosted = HostedRoutes();
        var documented = ReadmeTable().ToHashSet();

        Assert.True(hosted.SetEquals(documented),
            $"The README's ability table and the host's routes differ.\nOnly in the host: {string.Join(", ", hosted.Except(documented))}\n"
            + $"Only in the README: {string.Join(", ", documented.Except(hosted))}\nThe table's rows as they should be:\n{Render(hosted)}");
    }

    [Theory]
    [MemberData(nameof(ReadmeRoutes))]
    public async Task ReadmeRoute_EveryOtherAbility_Is403_ThatAbilityAlone_GetsThrough(string method, string path, string ability)
    {
        var tenant = await Tenant.CreateAsync(factory);
        var url = "/api/v1" + Parameter().Replace(path, SomeId);
        if (ability == NoToken)
        {
            using var anonymous = await factory.ClientWith(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), url), ApiAssert.Ct);
            Assert.True((int)anonymous.StatusCode is not (401 or 403) and < 500, $"{method} {url} without a token: {(int)anonymous.StatusCode}");
            return;
        }

        using var withIt = await (await tenant.ClientAsync(ParseAbility(ability))).SendAsync(new HttpRequestMessage(new HttpMethod(method), url), ApiAssert.Ct);
        Assert.True((int)withIt.StatusCode is not (401 or 403) and < 500, $"{method} {url} with {ability}: {(int)withIt.StatusCode} {await withIt.Content.ReadAsStringAsync(ApiAssert.Ct)}");
        if (ability == AnyToken)
        {
            return;
        }

        var others = Singles.Where(a => a != ParseAbility(ability)).Aggregate((a, b) => a | b);
        using var without = await (await tenant.ClientAsync(others)).SendAsync(new HttpRequestMessage(new HttpMethod(method), url), ApiAssert.Ct);
        await ApiAssert.MessageAsync(without, HttpStatusCode.Forbidden, $"Missing required permissions: {ability}");
    }

    /// <summary>(method, path below /api/v1, ability) of every documented route the host maps under /api/v1.</summary>
    private HashSet<(string Method, string Path, string Ability)> HostedRoutes()
    {
        var routes = new HashSet<(string, string, string)>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            if (!pattern.StartsWith("/api/v1/", StringComparison.Ordinal) || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                continue;
            }

            // A route's ability is its policy's requirement; a route that only needs a caller has authorization without one.
            var ability = endpoint.Metadata.GetMetadata<AbilityRequirement>() is { } requirement ? ApiAbilities.ToName(requirement.Ability)
                : endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null ? AnyToken
                : NoToken;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                routes.Add((method, pattern["/api/v1".Length..].TrimEnd('/'), ability));
            }
        }

        return routes;
    }

    /// <summary>The routes of the README's "What each ability allows" table: <c>`GET\|POST /path`</c> items in the second column.</summary>
    private static IEnumerable<(string Method, string Path, string Ability)> ReadmeTable()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("### What each ability allows", StringComparison.Ordinal));
        Assert.True(start >= 0, "The README has no 'What each ability allows' section.");
        foreach (var line in readme.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            // Cells split at '|' that is not escaped: a route's methods are written GET\|POST inside the table.
            var cells = Regex.Split(line, @"(?<!\\)\|");
            var ability = cells[1].Trim().Trim('`');
            foreach (Match item in RouteItem().Matches(cells[2]))
            {
                foreach (var method in item.Groups["methods"].Value.Replace("\\", string.Empty, StringComparison.Ordinal).Split('|'))
                {
                    yield return (method, item.Groups["path"].Value, ability);
                }
            }
        }
    }

    private static string Render(IEnumerable<(string Method, string Path, string Ability)> routes) =>
        string.Join('\n', routes.GroupBy(r => r.Ability).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            $"| `{g.Key}` | " + string.Join(", ", g.GroupBy(r => r.Path).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"`{string.Join("\\|", p.Select(r => r.Method).Order(StringComparer.Ordinal))} {p.Key}`")) + " |"));

    private static ApiAbility ParseAbility(string name) =>
        name == AnyToken ? ApiAbility.Read : ApiAbilities.TryParse(name, out var ability) ? ability : throw new InvalidOperationException($"Unknown ability '{name}' in the README.");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("Slipway.slnx not found above the test binaries.");
        }

        return directory.FullName;
    }

    [GeneratedRegex(@"`(?<methods>(?:GET|POST|PUT|PATCH|DELETE)(?:\\?\|(?:GET|POST|PUT|PATCH|DELETE))*) (?<path>/[^`\s]*)`")]
    private static partial Regex RouteItem();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
