using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MultiInstance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "instance_generation",
                table: "application_deployment_queues",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "log_complete",
                table: "application_deployment_queues",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "slipway_cluster_settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slipway_cluster_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "slipway_instances",
                columns: table => new
                {
                    generation = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    machine_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    work_root = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    heartbeat_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    lease_expires_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    stopped_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slipway_instances", x => x.generation);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_deployment_queues_instance_generation_status",
                table: "application_deployment_queues",
                columns: new[] { "instance_generation", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_slipway_instances_lease_expires_ms",
                table: "slipway_instances",
                column: "lease_expires_ms");

            // Deployments that ended before logs recorded their completion: their logs are whole.
            migrationBuilder.Sql("UPDATE application_deployment_queues SET log_complete = TRUE WHERE status IN ('finished', 'failed', 'cancelled-by-user');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "slipway_cluster_settings");

            migrationBuilder.DropTable(
                name: "slipway_instances");

            migrationBuilder.DropIndex(
                name: "IX_application_deployment_queues_instance_generation_status",
                table: "application_deployment_queues");

            migrationBuilder.DropColumn(
                name: "instance_generation",
                table: "application_deployment_queues");

            migrationBuilder.DropColumn(
                name: "log_complete",
                table: "application_deployment_queues");
        }
    }
}
