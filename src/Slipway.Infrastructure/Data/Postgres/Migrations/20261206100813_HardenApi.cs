using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Slipway.Infrastructure.Data.Postgres.Migrations
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
                type: "bigint",
                nullable: false,
                defaultValue: 268435456L);

            migrationBuilder.AddColumn<int>(
                name: "deployment_log_max_lines",
                table: "servers",
                type: "integer",
                nullable: false,
                defaultValue: 1000000);

            migrationBuilder.AddColumn<string>(
                name: "git_host_keys",
                table: "applications",
                type: "character varying(8192)",
                maxLength: 8192,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "refused_webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    application_id = table.Column<long>(type: "bigint", nullable: true),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(128)", maxLength: 128, nullable: false),
                    delivery_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    repository = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    source_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    result = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    message = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
