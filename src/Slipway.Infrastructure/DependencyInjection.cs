using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Applications;
using Slipway.Core.Cluster;
using Slipway.Core.Deployments;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;
using Slipway.Core.Secrets;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Cluster;
using Slipway.Infrastructure.Data;
using Slipway.Infrastructure.Data.Postgres;
using Slipway.Infrastructure.Data.Sqlite;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Execution;
using Slipway.Infrastructure.Proxy;
using Slipway.Infrastructure.Secrets;
using Slipway.Infrastructure.Servers;
using Slipway.Infrastructure.Teams;
using Slipway.Infrastructure.Tokens;
using Slipway.Infrastructure.Users;

namespace Slipway.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the database (SQLite or PostgreSQL), secret protection, the token and team services and the
    /// execution targets (local runner, SSH connection pool), and what instances sharing the database coordinate
    /// with: the lease, cluster-wide locks, cache invalidation, and the Data Protection keys (in the database on
    /// PostgreSQL, encrypted with <c>SLIPWAY_MASTER_KEY</c>; in the data directory on SQLite).
    /// </summary>
    public static IServiceCollection AddSlipwayData(this IServiceCollection services, SlipwayDataOptions options)
    {
        options.Validate();
        Directory.CreateDirectory(options.FullDataDir);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ClusterOptions());
        services.TryAddSingleton<CacheInvalidation>();
        services.TryAddSingleton<InstanceLease>();
        services.TryAddSingleton<IRunFence>(sp => sp.GetRequiredService<InstanceLease>());
        services.TryAddSingleton<RemoteCancellation>();
        services.TryAddSingleton<IRemoteCancellation>(sp => sp.GetRequiredService<RemoteCancellation>());

        if (options.UsesPostgres)
        {
            var sessions = new PostgresSessions(options.PostgresConnectionString!);
            services.AddSingleton(sessions);
            // Retries with backoff: a PostgreSQL restart shorter than the lease fails nothing (EF's default: 6 tries, up to ~1 min).
            services.AddPooledDbContextFactory<PostgresSlipwayDbContext>((sp, o) => o
                .UseNpgsql(sessions.ConnectionString, npgsql => npgsql.EnableRetryOnFailure())
                .AddInterceptors(new LocalWriteInterceptor(sp.GetRequiredService<CacheInvalidation>()), new LeadingStatementInterceptor(sp.GetRequiredService<DeferredAnnouncements>())));
            services.AddSingleton<IDbContextFactory<SlipwayDbContext>, ContextFactory<PostgresSlipwayDbContext>>();
            services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PostgresSlipwayDbContext>>().CreateDbContext());
            services.TryAddSingleton<IClusterLocks, PostgresClusterLocks>();
            services.AddSingleton<PostgresChangeListener>();
            services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeListener>());
            // Before the engine's services: stopped after them, it sends what their last writes left to announce.
            services.AddSingleton<DeferredAnnouncements>();
            services.AddHostedService(sp => sp.GetRequiredService<DeferredAnnouncements>());
        }
        else
        {
            var connectionString = $"Data Source={options.SqlitePath};Pooling=True;Default Timeout=30";
            var busyTimeout = new SqliteBusyTimeoutInterceptor(TimeSpan.FromSeconds(30));
            services.AddPooledDbContextFactory<SqliteSlipwayDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(busyTimeout));
            services.AddSingleton<IDbContextFactory<SlipwayDbContext>, ContextFactory<SqliteSlipwayDbContext>>();
            services.TryAddSingleton<IClusterLocks, LocalClusterLocks>();
            services.AddHostedService<SqliteChangeWatcher>();
        }

        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContext());

        // A fixed application name: instances with different paths and hosts share one key ring and can read each other's secrets.
        var dataProtection = services.AddDataProtection().SetApplicationName("Slipway");
        if (options.UsesPostgres)
        {
            dataProtection.PersistKeysToDbContext<PostgresSlipwayDbContext>();
            services.TryAddSingleton(_ => new MasterKey(options.MasterKey ?? string.Empty));
            services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) => o.XmlEncryptor = new MasterKeyXmlEncryptor(sp.GetRequiredService<MasterKey>()));
            services.TryAddSingleton<DatabaseKeyRing>();
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.FullDataDir, "keys")));
        }

        services.TryAddSingleton<ISecretProtector, DataProtectionSecretProtector>();

        services.TryAddSingleton<ApiTokenService>();
        services.TryAddSingleton<TeamService>();
        services.TryAddSingleton<UserService>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<SetupTokens>();
        services.TryAddSingleton<DatabaseInitializer>();

        services.TryAddSingleton<DeploymentLogFeed>();
        services.TryAddSingleton<DeploymentRowCache>();
        services.TryAddSingleton<IDeploymentLogStore, EfDeploymentLogStore>();
        services.TryAddSingleton<IDeploymentStore, EfDeploymentStore>();
        services.TryAddSingleton<IdleEngine>();
        services.TryAddSingleton<IDeploymentSignal>(sp => sp.GetRequiredService<IdleEngine>());
        services.TryAddSingleton<IRunningDeployments>(sp => sp.GetRequiredService<IdleEngine>());
        services.TryAddSingleton<IApplicationRuntime>(sp => sp.GetRequiredService<IdleEngine>());
        services.TryAddSingleton<DeploymentQueue>();
        // Log retention runs on every instance, engine or not (a cluster-wide lock lets one prune at a time).
        services.TryAddSingleton(new LogRetentionOptions());
        services.TryAddSingleton<ILogRetentionStore, EfLogRetentionStore>();
        services.TryAddSingleton<LogRetention>();
        services.AddHostedService<LogRetentionService>();
        services.TryAddSingleton<IProxyStore, EfProxyStore>();
        services.TryAddSingleton<IProxyService, IdleProxy>();

        // Execution: local processes for localhost, one pooled SSH connection per remote server.
        services.TryAddSingleton(new SshOptions());
        services.TryAddSingleton<SshConnectionPool>();
        services.TryAddSingleton<LocalCommandRunner>();
        services.TryAddSingleton<LocalExecutionTarget>();
        services.TryAddSingleton<ExecutionTargets>();
        services.TryAddSingleton<IExecutionTargets>(sp => sp.GetRequiredService<ExecutionTargets>());
        services.TryAddSingleton<ServerValidator>();
        // Webhooks ask the git host from the application's server, as its deployments reach the repository.
        services.TryAddSingleton<IBranchHeads, GitBranchHeads>();
        return services;
    }

    /// <summary>Hands out the provider's context as the provider-neutral base type.</summary>
    private sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<SlipwayDbContext>
        where TContext : SlipwayDbContext
    {
        public SlipwayDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
