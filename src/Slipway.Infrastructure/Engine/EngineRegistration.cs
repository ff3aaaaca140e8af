using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Engine;
using Slipway.Core.Execution;
using Slipway.Infrastructure.Cluster;

namespace Slipway.Infrastructure.Engine;

public static class EngineRegistration
{
    /// <summary>
    /// Adds the deployment engine: the scheduler (a hosted service), the runner and its steps' seams. Without it a
    /// host only queues deployments (the idle defaults of <see cref="DependencyInjection.AddSlipwayData"/>).
    /// </summary>
    public static IServiceCollection AddSlipwayEngine(this IServiceCollection services, Action<EngineOptions>? configure = null)
    {
        var options = new EngineOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);

        services.TryAddSingleton<DeploymentSignal>();
        services.TryAddSingleton<RunningDeployments>();
        services.Replace(ServiceDescriptor.Singleton<IDeploymentSignal>(sp => sp.GetRequiredService<DeploymentSignal>()));
        services.Replace(ServiceDescriptor.Singleton<IRunningDeployments>(sp => sp.GetRequiredService<RunningDeployments>()));
        services.Replace(ServiceDescriptor.Singleton<IApplicationRuntime, DockerApplicationRuntime>());

        services.TryAddSingleton<IEngineStore, EfEngineStore>();
        services.TryAddSingleton<ITunnelOpener, SshTunnelOpener>();
        services.TryAddSingleton<IHttpProber, HttpProber>();
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
}
