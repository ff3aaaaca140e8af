using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Applications;
using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("application_deployment_queues");
        builder.Property(d => d.Uuid).HasColumnName("deployment_uuid").HasMaxLength(255);
        builder.HasIndex(d => d.Uuid).IsUnique();
        // Stored as Coolify's strings so the table reads the same as Coolify's.
        builder.Property(d => d.Status)
            .HasConversion(s => s.ToWire(), s => DeploymentStatuses.FromWire(s))
            .HasMaxLength(32);
        builder.Property(d => d.Commit).HasMaxLength(255);
        // Coolify's indexes: the scheduler's (status, server) scan and the per-application history.
        builder.HasIndex(d => new { d.Status, d.ServerId });
        builder.HasIndex(d => new { d.ApplicationId, d.Status, d.PullRequestId, d.CreatedAt });
        builder.HasIndex(d => new { d.TeamId, d.Status });
        // The dashboard lists an application's deployments newest first, a page at a time, with thousands of them.
        builder.HasIndex(d => new { d.ApplicationId, d.Id });
        // The API's page of an application's deployments (newest first by created_at, then id): read in index order,
        // only the page's rows are fetched; with (application_id, id) every deployment of the application was read
        // and sorted to answer 20 (bench/at-scale.sh).
        builder.HasIndex(d => new { d.ApplicationId, d.CreatedAt, d.Id });

        // Takeover finds a dead instance's deployments by their owner.
        builder.HasIndex(d => new { d.InstanceGeneration, d.Status });
        builder.HasOne<Application>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
