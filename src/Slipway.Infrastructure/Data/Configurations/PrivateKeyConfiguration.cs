using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.PrivateKeys;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class PrivateKeyConfiguration : IEntityTypeConfiguration<PrivateKey>
{
    public void Configure(EntityTypeBuilder<PrivateKey> builder)
    {
        builder.ToTable("private_keys");
        builder.HasIndex(k => k.Uuid).IsUnique();
        builder.HasIndex(k => k.TeamId);
        builder.HasOne<Core.Teams.Team>().WithMany().HasForeignKey(k => k.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
