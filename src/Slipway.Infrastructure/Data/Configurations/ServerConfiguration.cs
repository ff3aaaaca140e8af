using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Servers;
using Slipway.Core.Teams;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class ServerConfiguration : IEntityTypeConfiguration<Server>
{
    public void Configure(EntityTypeBuilder<Server> builder)
    {
        builder.ToTable("servers");
        builder.HasIndex(s => s.Uuid).IsUnique();
        builder.HasIndex(s => s.TeamId);
        builder.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Cascade);
        // A key in use cannot be deleted (Coolify's 422 "Private Key is in use and cannot be deleted.").
        builder.HasOne<PrivateKey>().WithMany().HasForeignKey(s => s.PrivateKeyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.ConcurrentBuilds).HasDefaultValue(Server.DefaultConcurrentBuilds);
        builder.Property(s => s.DeploymentQueueLimit).HasDefaultValue(Server.DefaultDeploymentQueueLimit);
        builder.Property(s => s.DynamicTimeout).HasDefaultValue(Server.DefaultDynamicTimeoutSeconds);
        builder.Property(s => s.DockerBuildKit).HasColumnName("docker_buildkit");
        builder.Property(s => s.DeploymentLogMaxLines).HasDefaultValue(Server.DefaultDeploymentLogMaxLines);
        builder.Property(s => s.DeploymentLogMaxBytes).HasDefaultValue(Server.DefaultDeploymentLogMaxBytes);
        builder.Property(s => s.DeploymentLogRetention).HasDefaultValue(Server.DefaultDeploymentLogRetention);
        ServerProxyColumns.Map(builder);
    }
}
