using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Applications;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class ApplicationTagConfiguration : IEntityTypeConfiguration<ApplicationTag>
{
    public void Configure(EntityTypeBuilder<ApplicationTag> builder)
    {
        builder.ToTable("application_tags");
        builder.HasKey(t => new { t.ApplicationId, t.TagId });
        builder.HasOne(t => t.Tag).WithMany().HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}
