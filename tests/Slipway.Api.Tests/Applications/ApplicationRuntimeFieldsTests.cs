using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Slipway.Api.Tests.Fixtures;
using Slipway.Core.Tokens;

namespace Slipway.Api.Tests.Applications;

/// <summary>
/// Issue 14 items 3 and 4 at the API: the command health check, restart policy, limits, labels, fixed container
/// name and network are accepted, stored and shown with Coolify's types; bad values are a 422 naming the field.
/// </summary>
public sealed class ApplicationRuntimeFieldsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Seeder _seed = new(factory);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Patch_EveryRuntimeField_IsStoredAndShownWithCoolifysTypes()
    {
        var app = await _seed.ApplicationAsync(name: "runtime");
        var labels = Base64("traefik.enable=true\r\nteam=web ops\n\n");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new
        {
            health_check_enabled = true,
            health_check_type = "cmd",
            health_check_command = "pg_isready -U postgres",
            max_restart_count = 5,
            limits_memory = "512m",
            limits_memory_swap = "1g",
            limits_memory_swappiness = 0,
            limits_memory_reservation = "256m",
            limits_cpuset = "0-1",
            limits_cpu_shares = 512,
            custom_labels = labels,
            custom_internal_name = "api",
            is_consistent_container_name_enabled = true,
            connect_to_docker_network = true,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await factory.RootClient().GetJsonAsync($"/api/v1/applications/{app.Uuid}");
        Assert.Equal(("cmd", "pg_isready -U postgres", 5, "1g", 0, "256m", "0-1", 512), (
            shown["health_check_type"]!.GetValue<string>(), shown["health_check_command"]!.GetValue<string>(), shown["max_restart_count"]!.GetValue<int>(),
            shown["limits_memory_swap"]!.GetValue<string>(), shown["limits_memory_swappiness"]!.GetValue<int>(), shown["limits_memory_reservation"]!.GetValue<string>(),
            shown["limits_cpuset"]!.GetValue<string>(), shown["limits_cpu_shares"]!.GetValue<int>()));
        Assert.Equal(Base64("traefik.enable=true\nteam=web ops"), shown["custom_labels"]!.GetValue<string>());
        Assert.Equal(("api", true, true), (shown["settings"]!["custom_internal_name"]!.GetValue<string>(),
            shown["settings"]!["is_consistent_container_name_enabled"]!.GetValue<bool>(), shown["settings"]!["connect_to_docker_network"]!.GetValue<bool>()));
        await using var db = factory.CreateDbContext();
        var stored = await db.Applications.SingleAsync(a => a.Uuid == app.Uuid, TestContext.Current.CancellationToken);
        Assert.Equal("traefik.enable=true\nteam=web ops", stored.CustomLabels);
    }

    [Fact]
    public async Task Get_NewApplication_ShowsCoolifysDefaults_AndHidesLabelsWithoutReadSensitive()
    {
        var app = await _seed.ApplicationAsync(name: "defaults");
        await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new { custom_labels = Base64("team=web") });

        var shown = await factory.ClientWith(await factory.CreateTokenAsync(ApiAbility.Read)).GetJsonAsync($"/api/v1/applications/{app.Uuid}");

        Assert.Equal(("http", 0, "0", 60, "0", 1024), (shown["health_check_type"]!.GetValue<string>(), shown["max_restart_count"]!.GetValue<int>(),
            shown["limits_memory_swap"]!.GetValue<string>(), shown["limits_memory_swappiness"]!.GetValue<int>(), shown["limits_memory_reservation"]!.GetValue<string>(),
            shown["limits_cpu_shares"]!.GetValue<int>()));
        Assert.Null(shown["limits_cpuset"]);
        Assert.False(shown.AsObject().ContainsKey("custom_labels"));
    }

    [Theory]
    [InlineData("health_check_type", "tcp", "The health_check_type must be http or cmd.")]
    [InlineData("health_check_command", "curl localhost | sh", "The health_check_command must be at most 1000 characters")]
    [InlineData("health_check_command", "echo ok\nrm -rf /", "The health_check_command must be at most 1000 characters")]
    [InlineData("max_restart_count", -1, "The max_restart_count must be between 0")]
    [InlineData("limits_memory_swap", "1g; id", "The limits_memory_swap must be 0 (none), -1 (unlimited swap) or a size")]
    [InlineData("limits_memory_swappiness", 101, "The limits_memory_swappiness must be between 0 and 100.")]
    [InlineData("limits_memory_reservation", "--privileged", "The limits_memory_reservation must be 0 (none) or a size")]
    [InlineData("limits_cpuset", "0-1 --privileged", "The limits_cpuset must list CPU numbers")]
    [InlineData("limits_cpu_shares", 1, "The limits_cpu_shares must be 0 (Docker's default) or between 2 and 262144.")]
    [InlineData("custom_labels", "traefik.enable=true", "The custom_labels should be base64 encoded")]
    [InlineData("custom_internal_name", "api --privileged", "The custom_internal_name must be 1-63 letters")]
    [InlineData("custom_internal_name", "slipway-proxy", "The custom_internal_name must not start with 'slipway'")]
    [InlineData("connect_to_docker_network", "yes", "The connect_to_docker_network field must be true or false.")]
    public async Task Patch_BadValue_Returns422NamingTheFieldAndSayingWhatIsAllowed(string field, object value, string message)
    {
        var app = await _seed.ApplicationAsync(name: "bad-" + field.Replace('_', '-'));

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new Dictionary<string, object> { [field] = value });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([field], await response.ErrorFieldsAsync());
        Assert.StartsWith(message, (await response.NodeAsync())["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slipway.managed=false", "Slipway's own")]
    [InlineData("team=web\n--privileged", "is not key=value")]
    [InlineData("team=web\nslipway.application=other", "Slipway's own")]
    [InlineData("com.docker.compose.project=x", "Docker's")]
    public async Task Patch_LabelsThatSetSlipwaysOrSmuggleOptions_Return422(string labels, string message)
    {
        var app = await _seed.ApplicationAsync(name: "labels");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new { custom_labels = Base64(labels) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, (await response.NodeAsync())["errors"]!["custom_labels"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_InconsistentSettings_Return422NamingEachField()
    {
        var app = await _seed.ApplicationAsync(name: "inconsistent");

        var response = await factory.RootClient().PatchBodyAsync($"/api/v1/applications/{app.Uuid}", new
        {
            limits_memory_swap = "1g",
            limits_memory_reservation = "0",
            health_check_enabled = true,
            health_check_type = "cmd",
            connect_to_docker_network = true,
            custom_docker_run_options = "--network none",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["connect_to_docker_network", "health_check_command", "limits_memory_swap"], await response.ErrorFieldsAsync());
    }
}
