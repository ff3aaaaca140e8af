using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class HardenApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "deployment_log_max_bytes",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 268435456L);

            migrationBuilder.AddColumn<int>(
                name: "deployment_log_max_lines",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1000000);

            migrationBuilder.AddColumn<string>(
                name: "git_host_keys",
                table: "applications",
                type: "TEXT",
                maxLength: 8192,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "refused_webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    application_id = table.Column<long>(type: "INTEGER", nullable: true),
                    provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    @event = table.Column<string>(name: "event", type: "TEXT", maxLength: 128, nullable: false),
                    delivery_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    repository = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    source_address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    result = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    message = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refused_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_refused_webhook_deliveries_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_refused_webhook_deliveries_application_id_id",
                table: "refused_webhook_deliveries",
                columns: new[] { "application_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "refused_webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "deployment_log_max_bytes",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "deployment_log_max_lines",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "git_host_keys",
                table: "applications");
        }
    }
}
