using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WebhooksAndPreviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "preview_deployments_limit",
                table: "applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: 3); // Existing applications get the model's default of 3 previews, not 0.

            migrationBuilder.CreateTable(
                name: "application_previews",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    uuid = table.Column<string>(type: "TEXT", nullable: false),
                    application_id = table.Column<long>(type: "INTEGER", nullable: false),
                    server_id = table.Column<long>(type: "INTEGER", nullable: false),
                    pull_request_id = table.Column<int>(type: "INTEGER", nullable: false),
                    pull_request_html_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    git_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    fqdn = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    port = table.Column<int>(type: "INTEGER", nullable: false),
                    source_ref = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    commit = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_previews", x => x.id);
                    table.ForeignKey(
                        name: "FK_application_previews_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_application_previews_servers_server_id",
                        column: x => x.server_id,
                        principalTable: "servers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    application_id = table.Column<long>(type: "INTEGER", nullable: true),
                    provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    @event = table.Column<string>(name: "event", type: "TEXT", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    delivery_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    repository = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    branch = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    pull_request_id = table.Column<int>(type: "INTEGER", nullable: true),
                    commit = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    verified = table.Column<bool>(type: "INTEGER", nullable: false),
                    result = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    message = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: false),
                    deployment_uuids = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_previews_application_id_pull_request_id",
                table: "application_previews",
                columns: new[] { "application_id", "pull_request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_application_previews_server_id_port",
                table: "application_previews",
                columns: new[] { "server_id", "port" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_application_previews_uuid",
                table: "application_previews",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_application_id_id",
                table: "webhook_deliveries",
                columns: new[] { "application_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_provider_delivery_id",
                table: "webhook_deliveries",
                columns: new[] { "provider", "delivery_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "application_previews");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "preview_deployments_limit",
                table: "applications");
        }
    }
}
