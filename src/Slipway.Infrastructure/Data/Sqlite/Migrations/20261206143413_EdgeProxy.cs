using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EdgeProxy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Coolify's defaults for existing rows: the four booleans start true (set here, not in the model, so EF still stores an explicit false).
            migrationBuilder.AddColumn<string>(
                name: "proxy_acme_ca_root",
                table: "servers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "proxy_acme_ca_url",
                table: "servers",
                type: "TEXT",
                nullable: false,
                defaultValue: "https://acme-v02.api.letsencrypt.org/directory");

            migrationBuilder.AddColumn<string>(
                name: "proxy_acme_email",
                table: "servers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "proxy_admin_port",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2019);

            migrationBuilder.AddColumn<long>(
                name: "proxy_config_generation",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "proxy_http_port",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 80);

            migrationBuilder.AddColumn<int>(
                name: "proxy_https_port",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 443);

            migrationBuilder.AddColumn<string>(
                name: "proxy_image",
                table: "servers",
                type: "TEXT",
                nullable: false,
                defaultValue: "caddy:2-alpine");

            migrationBuilder.AddColumn<bool>(
                name: "proxy_redirect_enabled",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "proxy_redirect_url",
                table: "servers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "proxy_type",
                table: "servers",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "NONE");

            migrationBuilder.AddColumn<string>(
                name: "http_basic_auth_password_hash",
                table: "applications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "http_basic_auth_username",
                table: "applications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_force_https_enabled",
                table: "applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_gzip_enabled",
                table: "applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_http_basic_auth_enabled",
                table: "applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "is_stripprefix_enabled",
                table: "applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "proxy_draining_port",
                table: "applications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "proxy_upstream_port",
                table: "applications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "redirect",
                table: "applications",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "both");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "proxy_acme_ca_root",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_acme_ca_url",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_acme_email",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_admin_port",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_config_generation",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_http_port",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_https_port",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_image",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_redirect_enabled",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_redirect_url",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "proxy_type",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "http_basic_auth_password_hash",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "http_basic_auth_username",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_force_https_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_gzip_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_http_basic_auth_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_stripprefix_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "proxy_draining_port",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "proxy_upstream_port",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "redirect",
                table: "applications");
        }
    }
}
