using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Deployments;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class DeploymentLogEntryConfiguration : IEntityTypeConfiguration<DeploymentLogEntry>
{
    public void Configure(EntityTypeBuilder<DeploymentLogEntry> builder)
    {
        builder.ToTable("deployment_log_entries");
        builder.HasIndex(e => new { e.DeploymentId, e.Order }).IsUnique();
        builder.Property(e => e.Type).HasMaxLength(16);
        builder.HasOne<Deployment>().WithMany().HasForeignKey(e => e.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
