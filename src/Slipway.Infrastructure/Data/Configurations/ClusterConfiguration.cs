using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Infrastructure.Cluster;

namespace Slipway.Infrastructure.Data.Configurations;

internal sealed class SlipwayInstanceConfiguration : IEntityTypeConfiguration<SlipwayInstance>
{
    public void Configure(EntityTypeBuilder<SlipwayInstance> builder)
    {
        builder.ToTable("slipway_instances");
        builder.HasKey(i => i.Generation);
        builder.Property(i => i.Name).HasMaxLength(512);
        builder.Property(i => i.MachineId).HasMaxLength(255);
        builder.Property(i => i.WorkRoot).HasMaxLength(4096);
        builder.Property(i => i.Version).HasMaxLength(64);
        builder.HasIndex(i => i.LeaseExpiresMs);
    }
}

internal sealed class ClusterSettingConfiguration : IEntityTypeConfiguration<ClusterSetting>
{
    public void Configure(EntityTypeBuilder<ClusterSetting> builder)
    {
        builder.ToTable("slipway_cluster_settings");
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(64);
        builder.Property(s => s.Value).HasMaxLength(1024);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> builder) =>
        builder.ToTable("data_protection_keys");
}
