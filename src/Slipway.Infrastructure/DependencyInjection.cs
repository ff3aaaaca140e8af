using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Execution;
using Slipway.Core.Proxy;
using Slipway.Core.Secrets;
using Slipway.Core.Webhooks;
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
    /// execution targets (local runner, SSH connection pool).
    /// </summary>
    public static IServiceCollection AddSlipwayData(this IServiceCollection services, SlipwayDataOptions options)
    {
        options.Validate();
        Directory.CreateDirectory(options.FullDataDir);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);

        if (options.UsesPostgres)
        {
            services.AddPooledDbContextFactory<PostgresSlipwayDbContext>(o => o.UseNpgsql(options.PostgresConnectionString));
            services.AddSingleton<IDbContextFactory<SlipwayDbContext>, ContextFactory<PostgresSlipwayDbContext>>();
        }
        else
        {
            var connectionString = $"Data Source={options.SqlitePath};Pooling=True;Default Timeout=30";
            var busyTimeout = new SqliteBusyTimeoutInterceptor(TimeSpan.FromSeconds(30));
            services.AddPooledDbContextFactory<SqliteSlipwayDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(busyTimeout));
            services.AddSingleton<IDbContextFactory<SlipwayDbContext>, ContextFactory<SqliteSlipwayDbContext>>();
        }

        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<SlipwayDbContext>>().CreateDbContext());

        services.AddDataProtection()
            .SetApplicationName("Slipway")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.FullDataDir, "keys")));
        services.TryAddSingleton<ISecretProtector, DataProtectionSecretProtector>();

        services.TryAddSingleton<ApiTokenService>();
        services.TryAddSingleton<TeamService>();
        services.TryAddSingleton<UserService>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<SetupTokens>();
        services.TryAddSingleton<DatabaseInitializer>();

        services.TryAddSingleton<DeploymentLogFeed>();
        services.TryAddSingleton<IDeploymentLog, DeploymentLogWriter>();
        services.TryAddSingleton<IDeploymentStore, EfDeploymentStore>();
        services.TryAddSingleton<IdleEngine>();
        services.TryAddSingleton<IDeploymentSignal>(sp => sp.GetRequiredService<IdleEngine>());
        services.TryAddSingleton<IRunningDeployments>(sp => sp.GetRequiredService<IdleEngine>());
        services.TryAddSingleton<IApplicationRuntime>(sp => sp.GetRequiredService<IdleEngine>());
        services.TryAddSingleton<DeploymentQueue>();
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
