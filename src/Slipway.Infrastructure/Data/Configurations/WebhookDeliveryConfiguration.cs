using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Applications;
using Slipway.Core.Webhooks;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        // The per-application list (newest first) and the replay lookup by delivery id.
        builder.HasIndex(d => new { d.ApplicationId, d.Id });
        builder.HasIndex(d => new { d.Provider, d.DeliveryId });
        builder.Property(d => d.Provider).HasMaxLength(32);
        builder.Property(d => d.Event).HasMaxLength(128);
        builder.Property(d => d.Action).HasMaxLength(64);
        builder.Property(d => d.DeliveryId).HasMaxLength(128);
        builder.Property(d => d.Repository).HasMaxLength(512);
        builder.Property(d => d.Branch).HasMaxLength(255);
        builder.Property(d => d.Commit).HasMaxLength(255);
        builder.Property(d => d.Result).HasMaxLength(32);
        builder.Property(d => d.Message).HasMaxLength(1024);
        builder.Property(d => d.DeploymentUuids).HasMaxLength(1024);
        builder.HasOne<Application>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
