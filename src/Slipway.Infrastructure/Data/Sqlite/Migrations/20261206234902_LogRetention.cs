using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LogRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "deployment_log_retention",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 100);

            migrationBuilder.AddColumn<DateTime>(
                name: "logs_pruned_at",
                table: "application_deployment_queues",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "deployment_log_retention",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "logs_pruned_at",
                table: "application_deployment_queues");
        }
    }
}
