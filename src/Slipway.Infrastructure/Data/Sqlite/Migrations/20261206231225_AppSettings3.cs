using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AppSettings3 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing applications keep their variables sorted by key, as before (the default is written here only: see ServerProxyColumns).
            migrationBuilder.AddColumn<bool>(
                name: "is_env_sorting_enabled",
                table: "applications",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "noindex_domains",
                table: "applications",
                type: "TEXT",
                maxLength: 4096,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_env_sorting_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "noindex_domains",
                table: "applications");
        }
    }
}
