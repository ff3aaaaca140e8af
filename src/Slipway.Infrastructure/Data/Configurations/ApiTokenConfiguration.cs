using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Tokens;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        // No foreign key to teams on purpose: a token can outlive its team, and is then answered with
        // Coolify's 400 "Invalid token." rather than vanishing.
        builder.ToTable("personal_access_tokens");
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.Property(t => t.Name).HasMaxLength(255);
        builder.HasIndex(t => t.TeamId);
    }
}
