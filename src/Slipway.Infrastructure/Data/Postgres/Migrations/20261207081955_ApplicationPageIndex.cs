using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ApplicationPageIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_application_deployment_queues_application_id_created_at_id",
                table: "application_deployment_queues",
                columns: new[] { "application_id", "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_application_deployment_queues_application_id_created_at_id",
                table: "application_deployment_queues");
        }
    }
}
