using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Applications;
using Slipway.Core.PrivateKeys;
using Slipway.Core.Servers;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> builder)
    {
        builder.ToTable("applications");
        builder.HasIndex(a => a.Uuid).IsUnique();
        builder.HasIndex(a => a.TeamId);
        // An environment (and so a project) with applications cannot be deleted; the API says so first.
        builder.HasOne(a => a.Environment).WithMany().HasForeignKey(a => a.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Server>().WithMany().HasForeignKey(a => a.ServerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PrivateKey>().WithMany().HasForeignKey(a => a.PrivateKeyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.GitHostKeys).HasMaxLength(8192);
        builder.Property(a => a.Redirect).HasMaxLength(16).HasDefaultValue(Core.Routing.RedirectModes.Both);
        builder.Property(a => a.HealthCheckType).HasMaxLength(8);
        builder.Property(a => a.HealthCheckCommand).HasMaxLength(Core.Validation.HealthCheckRules.CommandMaxLength);
        builder.Property(a => a.LimitsCpuset).HasMaxLength(128);
        builder.Property(a => a.CustomInternalName).HasMaxLength(63);
        builder.Property(a => a.PreDeploymentCommand).HasMaxLength(Core.Validation.ReleaseCommandRules.CommandMaxLength);
        builder.Property(a => a.PreDeploymentCommandContainer).HasMaxLength(255);
        builder.Property(a => a.PostDeploymentCommand).HasMaxLength(Core.Validation.ReleaseCommandRules.CommandMaxLength);
        builder.Property(a => a.PostDeploymentCommandContainer).HasMaxLength(255);
        builder.Property(a => a.DockerfileTargetBuild).HasMaxLength(128);
        builder.Property(a => a.PublishDirectory).HasMaxLength(255);
        builder.Property(a => a.NoindexDomains).HasMaxLength(4096);
        builder.HasMany(a => a.Tags).WithOne().HasForeignKey(t => t.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
