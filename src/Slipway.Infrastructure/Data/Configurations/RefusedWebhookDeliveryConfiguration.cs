using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Applications;
using Slipway.Core.Webhooks;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class RefusedWebhookDeliveryConfiguration : IEntityTypeConfiguration<RefusedWebhookDelivery>
{
    public void Configure(EntityTypeBuilder<RefusedWebhookDelivery> builder)
    {
        builder.ToTable("refused_webhook_deliveries");
        // The per-application list, newest first.
        builder.HasIndex(d => new { d.ApplicationId, d.Id });
        builder.Property(d => d.Provider).HasMaxLength(32);
        builder.Property(d => d.Event).HasMaxLength(128);
        builder.Property(d => d.DeliveryId).HasMaxLength(128);
        builder.Property(d => d.Repository).HasMaxLength(512);
        builder.Property(d => d.SourceAddress).HasMaxLength(64);
        builder.Property(d => d.Result).HasMaxLength(32);
        builder.Property(d => d.Message).HasMaxLength(1024);
        builder.HasOne<Application>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
