using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Slipway.Core.Proxy;
using Slipway.Core.Servers;

namespace Slipway.Infrastructure.Data.Configurations;

/// <summary>
/// A server's proxy settings live in its row (<c>proxy_*</c> columns), as an owned type: one read gives a server and
/// its proxy. Defaults are the database's too, so servers that existed before the proxy get them.
/// </summary>
internal static class ServerProxyColumns
{
    public static void Map(EntityTypeBuilder<Server> builder)
    {
        builder.OwnsOne(s => s.Proxy, proxy =>
        {
            // The owned type shares the server's key column.
            proxy.Property<long>("ServerId").HasColumnName("id");
            proxy.Property(p => p.Type).HasColumnName("proxy_type").HasMaxLength(16).HasDefaultValue(ProxyTypes.None);
            // Booleans defaulting to true get their default in the migration only: with HasDefaultValue EF would store true for false.
            proxy.Property(p => p.RedirectEnabled).HasColumnName("proxy_redirect_enabled");
            proxy.Property(p => p.RedirectUrl).HasColumnName("proxy_redirect_url");
            proxy.Property(p => p.HttpPort).HasColumnName("proxy_http_port").HasDefaultValue(ServerProxy.DefaultHttpPort);
            proxy.Property(p => p.HttpsPort).HasColumnName("proxy_https_port").HasDefaultValue(ServerProxy.DefaultHttpsPort);
            proxy.Property(p => p.AdminPort).HasColumnName("proxy_admin_port").HasDefaultValue(ServerProxy.DefaultAdminPort);
            proxy.Property(p => p.Image).HasColumnName("proxy_image").HasDefaultValue(ServerProxy.DefaultImage);
            proxy.Property(p => p.AcmeEmail).HasColumnName("proxy_acme_email");
            proxy.Property(p => p.AcmeCaUrl).HasColumnName("proxy_acme_ca_url").HasDefaultValue(ServerProxy.DefaultAcmeCaUrl);
            proxy.Property(p => p.AcmeCaRoot).HasColumnName("proxy_acme_ca_root");
            proxy.Property(p => p.ConfigGeneration).HasColumnName("proxy_config_generation");
        });
        builder.Navigation(s => s.Proxy).IsRequired();
    }
}
