using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Proxy;

namespace Slipway.Infrastructure.Engine;

public static class EngineRegistration
{
    /// <summary>
    /// Adds the deployment engine: the scheduler (a hosted service), the runner and its steps' seams. Without it a
    /// host only queues deployments (the idle defaults of <see cref="DependencyInjection.AddSlipwayData"/>).
    /// </summary>
    public static IServiceCollection AddSlipwayEngine(
        this IServiceCollection services, Action<EngineOptions>? configure = null, Action<ProxyOptions>? configureProxy = null)
    {
        var options = new EngineOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        AddProxy(services, configureProxy);

        services.TryAddSingleton<DeploymentSignal>();
        services.TryAddSingleton<RunningDeployments>();
        services.Replace(ServiceDescriptor.Singleton<IDeploymentSignal>(sp => sp.GetRequiredService<DeploymentSignal>()));
        services.Replace(ServiceDescriptor.Singleton<IRunningDeployments>(sp => sp.GetRequiredService<RunningDeployments>()));
        services.Replace(ServiceDescriptor.Singleton<IApplicationRuntime, DockerApplicationRuntime>());

        services.TryAddSingleton<IEngineStore, EfEngineStore>();
        services.TryAddSingleton<ITunnelOpener, SshTunnelOpener>();
        services.TryAddSingleton<IHttpProber, HttpProber>();
        services.TryAddSingleton<IUpstreamPortPicker, RandomUpstreamPortPicker>();
        services.TryAddSingleton<DeploymentPlanner>();
        services.TryAddSingleton<DeploymentRunner>();
        services.TryAddSingleton<RecoveryService>();
        services.TryAddSingleton<DeploymentScheduler>();
        // The lease first: it registers this instance (its generation) before the scheduler claims or recovers anything.
        services.TryAddSingleton<ClusterHeartbeat>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ClusterHeartbeat>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DeploymentScheduler>());
        return services;
    }

    /// <summary>The edge proxy on each server: managed here, so a host without the engine only stores its settings.</summary>
    private static void AddProxy(IServiceCollection services, Action<ProxyOptions>? configure)
    {
        var options = new ProxyOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<ICaddyAdmin, CaddyAdminClient>();
        services.TryAddSingleton<ICertificateProbe, TlsCertificateProbe>();
        services.TryAddSingleton<ProxyService>();
        services.Replace(ServiceDescriptor.Singleton<IProxyService>(sp => sp.GetRequiredService<ProxyService>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ProxyService>());
    }
}
