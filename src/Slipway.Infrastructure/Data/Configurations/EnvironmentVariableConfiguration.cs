using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Applications;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class EnvironmentVariableConfiguration : IEntityTypeConfiguration<EnvironmentVariable>
{
    public void Configure(EntityTypeBuilder<EnvironmentVariable> builder)
    {
        builder.ToTable("environment_variables");
        builder.HasIndex(e => e.Uuid).IsUnique();
        builder.HasIndex(e => new { e.ApplicationId, e.Key, e.IsPreview }).IsUnique();
        builder.HasOne<Application>().WithMany().HasForeignKey(e => e.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
