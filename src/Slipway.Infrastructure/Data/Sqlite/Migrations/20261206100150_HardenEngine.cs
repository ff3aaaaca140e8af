using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class HardenEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "allow_host_network",
                table: "servers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "docker_buildkit",
                table: "servers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "docker_client_path",
                table: "servers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "docker_default_bridge",
                table: "servers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "docker_probed_at",
                table: "servers",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "allow_host_network",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "docker_buildkit",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "docker_client_path",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "docker_default_bridge",
                table: "servers");

            migrationBuilder.DropColumn(
                name: "docker_probed_at",
                table: "servers");
        }
    }
}
