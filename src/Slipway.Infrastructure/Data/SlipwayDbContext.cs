using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;
using Slipway.Core.Previews;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Projects;
using Slipway.Core.Servers;
using Slipway.Core.Teams;
using Slipway.Core.Tokens;
using Slipway.Core.Users;
using Slipway.Core.Webhooks;
using Slipway.Infrastructure.Cluster;

namespace Slipway.Infrastructure.Data;

/// <summary>
/// The one provider-neutral model. Each provider has a thin subclass that owns its migration set
/// (EF Core's "migrations with multiple providers"): <see cref="Sqlite.SqliteSlipwayDbContext"/> and
/// <see cref="Postgres.PostgresSlipwayDbContext"/>.
/// </summary>
public abstract class SlipwayDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<PrivateKey> PrivateKeys => Set<PrivateKey>();
    public DbSet<Server> Servers => Set<Server>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectEnvironment> Environments => Set<ProjectEnvironment>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<EnvironmentVariable> EnvironmentVariables => Set<EnvironmentVariable>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<ApplicationTag> ApplicationTags => Set<ApplicationTag>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<DeploymentLogEntry> DeploymentLogEntries => Set<DeploymentLogEntry>();
    public DbSet<ApplicationPreview> ApplicationPreviews => Set<ApplicationPreview>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<User> Users => Set<User>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<LoginAttempt> LoginAttempts => Set<LoginAttempt>();
    public DbSet<SetupToken> SetupTokens => Set<SetupToken>();

    public DbSet<SlipwayInstance> Instances => Set<SlipwayInstance>();
    public DbSet<ClusterSetting> ClusterSettings => Set<ClusterSetting>();

    /// <summary>ASP.NET Data Protection's key ring (PostgreSQL only: SQLite keeps its keys in the data directory).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<RefusedWebhookDelivery> RefusedWebhookDeliveries => Set<RefusedWebhookDelivery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SlipwayDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
