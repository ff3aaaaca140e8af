using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Applications;
using Slipway.Core.Previews;
using Slipway.Core.Servers;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class ApplicationPreviewConfiguration : IEntityTypeConfiguration<ApplicationPreview>
{
    public void Configure(EntityTypeBuilder<ApplicationPreview> builder)
    {
        builder.ToTable("application_previews");
        builder.HasIndex(p => p.Uuid).IsUnique();
        // One preview per pull request, and one preview per host port on a server: the database backs the allocator.
        builder.HasIndex(p => new { p.ApplicationId, p.PullRequestId }).IsUnique();
        builder.HasIndex(p => new { p.ServerId, p.Port }).IsUnique();
        builder.Property(p => p.PullRequestHtmlUrl).HasMaxLength(2048);
        builder.Property(p => p.GitType).HasMaxLength(32);
        builder.Property(p => p.Fqdn).HasMaxLength(2048);
        builder.Property(p => p.SourceRef).HasMaxLength(255);
        builder.Property(p => p.Commit).HasMaxLength(255);
        builder.Property(p => p.Status).HasMaxLength(32);
        builder.HasOne<Application>().WithMany().HasForeignKey(p => p.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        // An application moved to another server leaves its previews on the old one; deleting that server drops them.
        builder.HasOne<Server>().WithMany().HasForeignKey(p => p.ServerId).OnDelete(DeleteBehavior.Cascade);
    }
}
