using Scalar.AspNetCore;
using Slipway.Api.Auth;
using Slipway.Api.Dashboard;
using Slipway.Api.Features.Applications;
using Slipway.Api.Features.Deployments;
using Slipway.Api.Features.Health;
using Slipway.Api.Features.PrivateKeys;
using Slipway.Api.Features.Projects;
using Slipway.Api.Features.Proxy;
using Slipway.Api.Features.Servers;
using Slipway.Api.Features.Tags;
using Slipway.Api.Features.Teams;
using Slipway.Api.Features.Tokens;
using Slipway.Api.Features.Webhooks;
using Slipway.Api.Http;
using Slipway.Api.Http.OpenApi;
using Slipway.Core.Settings;
using Slipway.Infrastructure;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Engine;

namespace Slipway.Api;

/// <summary>Composition root of the HTTP host: what <c>slipway serve</c> runs and what the API tests boot.</summary>
public static class SlipwayServer
{
    /// <summary>Environment variables documented in the README, mapped onto configuration keys.</summary>
    private static readonly (string Variable, string Key)[] EnvironmentAliases =
    [
        ("SLIPWAY_DATA_DIR", "Slipway:DataDir"),
        ("SLIPWAY_DATABASE", "Slipway:Database"),
        ("SLIPWAY_POSTGRES", "Slipway:PostgresConnectionString"),
        ("SLIPWAY_ALLOW_LOCAL_REPOSITORIES", "Slipway:AllowLocalRepositories"),
        ("SLIPWAY_MASTER_KEY", "Slipway:MasterKey"),
        ("SLIPWAY_INSTANCE_NAME", "Slipway:Cluster:InstanceName"),
        ("SLIPWAY_MACHINE_ID", "Slipway:Cluster:MachineId"),
        ("SLIPWAY_TRUSTED_PROXIES", TrustedProxies.ConfigurationKey),
    ];

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The slim builder: no IIS integration, HTTP/3 (QUIC) or regex route constraints, none of which Slipway uses
        // (~3 MiB of idle memory, bench/idle-rss.sh); `https://` in --urls works through Kestrel's HTTPS configuration,
        // added back. reloadConfigOnChange=false: otherwise the default appsettings.json sources (Slipway ships none)
        // put a FileSystemWatcher on the working directory and every directory below it, thousands of inotify watches
        // from a home directory or / (~6 MiB). Leading, so a later argument can still set it.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        builder.WebHost.UseKestrelHttpsConfiguration();
        AddEnvironmentAliases(builder.Configuration);
        configure?.Invoke(builder);
        builder.AddSlipwayApi();
        var app = builder.Build();
        app.MapSlipwayApi();
        return app;
    }

    public static WebApplicationBuilder AddSlipwayApi(this WebApplicationBuilder builder)
    {
        var dataOptions = new SlipwayDataOptions();
        builder.Configuration.GetSection(SlipwayDataOptions.SectionName).Bind(dataOptions);
        var cluster = new ClusterOptions();
        builder.Configuration.GetSection(ClusterOptions.SectionName).Bind(cluster);
        cluster.Validate();
        builder.Services.AddSingleton(cluster);
        // First hosted service, registered before the data services' own (Data Protection loads its key ring at start):
        // migrations run before the engine, or anything else, touches the database.
        builder.Services.AddHostedService<StartupInitializer>();
        builder.Services.AddSlipwayData(dataOptions);
        var instance = new InstanceSettings();
        builder.Configuration.GetSection(SlipwayDataOptions.SectionName).Bind(instance);
        builder.Services.AddSingleton(instance);
        // The engine runs deployments; a host with it switched off only queues them (the API tests do that).
        if (builder.Configuration.GetValue("Slipway:Engine:Enabled", true))
        {
            builder.Services.AddSlipwayEngine(
                o => builder.Configuration.GetSection("Slipway:Engine").Bind(o),
                o => builder.Configuration.GetSection("Slipway:Proxy").Bind(o));
        }

        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 16 * 1024 * 1024);
        builder.Services.ConfigureHttpJsonOptions(o => SlipwayJson.Configure(o.SerializerOptions));
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddProblemDetails();
        builder.Services.AddTrustedProxies(builder.Configuration);
        builder.Services.AddSlipwayAuthentication();
        builder.Services.AddDashboard();
        builder.Services.AddWebhooks(builder.Configuration);
        builder.Services.AddSingleton<Features.Deployments.RenderedLogCache>();
        builder.Services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer<OpenApiDocumentInfo>();
            o.AddOperationTransformer<SlipwayOperations>();
            o.AddSchemaTransformer<SlipwaySchemas>();
        });
        // Data Protection's hosted service only loads the key ring at start, so the first request does not. That
        // loads the XML stack and key files for nothing on an idle server that holds no secret in its answers
        // (~4 MiB, bench/idle-rss.sh); the ring loads on first use instead. Removed last: every AddDataProtection
        // (antiforgery, cookies, Razor Pages) adds it back.
        var keyRingPreloads = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        foreach (var preload in keyRingPreloads)
        {
            builder.Services.Remove(preload);
        }

        return builder;
    }

    public static WebApplication MapSlipwayApi(this WebApplication app)
    {
        // First: everything after it (webhook rate limits, a later dashboard's Secure cookies) sees the client's address.
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseApiStatusCodeBodies();
        app.UseDashboardHeaders();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Slipway API").WithOpenApiRoutePattern("/openapi/{documentName}.json").DisableDefaultFonts());

        // Git providers authenticate with each application's webhook secret, not a token: outside the /api/v1 group.
        app.MapWebhookEndpoints();

        var api = app.MapGroup("/api/v1").RequireToken();
        api.MapVersionEndpoints();
        api.MapTokensEndpoints();
        api.MapDeploymentsEndpoints();
        api.MapDeployEndpoints();
        api.MapApplicationsEndpoints();
        api.MapTagsEndpoints();
        api.MapProjectsEndpoints();
        api.MapServersEndpoints();
        api.MapServerProxyEndpoints();
        api.MapPrivateKeysEndpoints();
        api.MapTeamEndpoints();

        // The dashboard: pages for people, on the same port, calling the same operations.
        app.MapDashboard();
        return app;
    }

    private static void AddEnvironmentAliases(ConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in EnvironmentAliases)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value) && string.IsNullOrEmpty(configuration[key]))
            {
                values[key] = value;
            }
        }

        // Only where the key is not set already: explicit flags and settings win over the environment.
        configuration.AddInMemoryCollection(values);
    }
}
