using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AppSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Coolify's defaults for existing rows (http health checks, swappiness 60, 1024 CPU shares, "0" = no limit),
            // set here and not in the model, so EF still stores an explicit 0.
            migrationBuilder.AddColumn<bool>(
                name: "connect_to_docker_network",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "custom_internal_name",
                table: "applications",
                type: "character varying(63)",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "custom_labels",
                table: "applications",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "health_check_command",
                table: "applications",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "health_check_type",
                table: "applications",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "http");

            migrationBuilder.AddColumn<bool>(
                name: "is_consistent_container_name_enabled",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "limits_cpu_shares",
                table: "applications",
                type: "integer",
                nullable: false,
                defaultValue: 1024);

            migrationBuilder.AddColumn<string>(
                name: "limits_cpuset",
                table: "applications",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "limits_memory_reservation",
                table: "applications",
                type: "text",
                nullable: false,
                defaultValue: "0");

            migrationBuilder.AddColumn<string>(
                name: "limits_memory_swap",
                table: "applications",
                type: "text",
                nullable: false,
                defaultValue: "0");

            migrationBuilder.AddColumn<int>(
                name: "limits_memory_swappiness",
                table: "applications",
                type: "integer",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "max_restart_count",
                table: "applications",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "connect_to_docker_network",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "custom_internal_name",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "custom_labels",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "health_check_command",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "health_check_type",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_consistent_container_name_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "limits_cpu_shares",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "limits_cpuset",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "limits_memory_reservation",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "limits_memory_swap",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "limits_memory_swappiness",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "max_restart_count",
                table: "applications");
        }
    }
}
