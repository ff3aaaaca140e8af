using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Projects;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class ProjectEnvironmentConfiguration : IEntityTypeConfiguration<ProjectEnvironment>
{
    public void Configure(EntityTypeBuilder<ProjectEnvironment> builder)
    {
        builder.ToTable("environments");
        builder.HasIndex(e => e.Uuid).IsUnique();
        builder.HasIndex(e => new { e.ProjectId, e.Name }).IsUnique();
    }
}
