using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AppSettings2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Coolify's defaults for existing rows (build arguments injected, git lfs pull on), set here and not in the
            // model, so EF still stores an explicit false.
            migrationBuilder.AddColumn<string>(
                name: "dockerfile_target_build",
                table: "applications",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "include_source_commit_in_build",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "inject_build_args_to_dockerfile",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_git_lfs_enabled",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_preserve_repository_enabled",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "is_spa",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "is_static",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "post_deployment_command",
                table: "applications",
                type: "character varying(4096)",
                maxLength: 4096,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "post_deployment_command_container",
                table: "applications",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pre_deployment_command",
                table: "applications",
                type: "character varying(4096)",
                maxLength: 4096,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pre_deployment_command_container",
                table: "applications",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "publish_directory",
                table: "applications",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "use_build_secrets",
                table: "applications",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "dockerfile_target_build",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "include_source_commit_in_build",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "inject_build_args_to_dockerfile",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_git_lfs_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_preserve_repository_enabled",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_spa",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "is_static",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "post_deployment_command",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "post_deployment_command_container",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "pre_deployment_command",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "pre_deployment_command_container",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "publish_directory",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "use_build_secrets",
                table: "applications");
        }
    }
}
