using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Slipway.Infrastructure.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "personal_access_tokens",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    abilities = table.Column<string>(type: "text", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personal_access_tokens", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "teams",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    personal_team = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_teams", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "private_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    protected_private_key = table.Column<string>(type: "text", nullable: false),
                    public_key = table.Column<string>(type: "text", nullable: false),
                    fingerprint = table.Column<string>(type: "text", nullable: false),
                    is_git_related = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_private_keys", x => x.id);
                    table.ForeignKey(
                        name: "FK_private_keys_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projects", x => x.id);
                    table.ForeignKey(
                        name: "FK_projects_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tags", x => x.id);
                    table.ForeignKey(
                        name: "FK_tags_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "servers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    ip = table.Column<string>(type: "text", nullable: false),
                    port = table.Column<int>(type: "integer", nullable: false),
                    user = table.Column<string>(type: "text", nullable: false),
                    private_key_id = table.Column<long>(type: "bigint", nullable: true),
                    is_localhost = table.Column<bool>(type: "boolean", nullable: false),
                    concurrent_builds = table.Column<int>(type: "integer", nullable: false, defaultValue: 2),
                    deployment_queue_limit = table.Column<int>(type: "integer", nullable: false, defaultValue: 25),
                    dynamic_timeout = table.Column<int>(type: "integer", nullable: false, defaultValue: 3600),
                    is_reachable = table.Column<bool>(type: "boolean", nullable: false),
                    is_usable = table.Column<bool>(type: "boolean", nullable: false),
                    host_key_fingerprint = table.Column<string>(type: "text", nullable: true),
                    validation_logs = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_servers", x => x.id);
                    table.ForeignKey(
                        name: "FK_servers_private_keys_private_key_id",
                        column: x => x.private_key_id,
                        principalTable: "private_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_servers_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "environments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_environments", x => x.id);
                    table.ForeignKey(
                        name: "FK_environments_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "applications",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    environment_id = table.Column<long>(type: "bigint", nullable: false),
                    server_id = table.Column<long>(type: "bigint", nullable: false),
                    private_key_id = table.Column<long>(type: "bigint", nullable: true),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    git_repository = table.Column<string>(type: "text", nullable: true),
                    git_branch = table.Column<string>(type: "text", nullable: true),
                    git_commit_sha = table.Column<string>(type: "text", nullable: false),
                    build_pack = table.Column<string>(type: "text", nullable: false),
                    base_directory = table.Column<string>(type: "text", nullable: false),
                    dockerfile_location = table.Column<string>(type: "text", nullable: false),
                    dockerfile = table.Column<string>(type: "text", nullable: true),
                    docker_registry_image_name = table.Column<string>(type: "text", nullable: true),
                    docker_registry_image_tag = table.Column<string>(type: "text", nullable: true),
                    static_image = table.Column<string>(type: "text", nullable: false),
                    static_server = table.Column<string>(type: "text", nullable: false),
                    ports_exposes = table.Column<string>(type: "text", nullable: false),
                    ports_mappings = table.Column<string>(type: "text", nullable: true),
                    fqdn = table.Column<string>(type: "text", nullable: true),
                    health_check_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    health_check_path = table.Column<string>(type: "text", nullable: false),
                    health_check_port = table.Column<string>(type: "text", nullable: true),
                    health_check_host = table.Column<string>(type: "text", nullable: false),
                    health_check_method = table.Column<string>(type: "text", nullable: false),
                    health_check_return_code = table.Column<int>(type: "integer", nullable: false),
                    health_check_scheme = table.Column<string>(type: "text", nullable: false),
                    health_check_response_text = table.Column<string>(type: "text", nullable: true),
                    health_check_interval = table.Column<int>(type: "integer", nullable: false),
                    health_check_timeout = table.Column<int>(type: "integer", nullable: false),
                    health_check_retries = table.Column<int>(type: "integer", nullable: false),
                    health_check_start_period = table.Column<int>(type: "integer", nullable: false),
                    custom_docker_run_options = table.Column<string>(type: "text", nullable: true),
                    limits_memory = table.Column<string>(type: "text", nullable: false),
                    limits_cpus = table.Column<string>(type: "text", nullable: false),
                    watch_paths = table.Column<string>(type: "text", nullable: true),
                    is_auto_deploy_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    is_preview_deployments_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    is_pr_deployments_public_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    preview_url_template = table.Column<string>(type: "text", nullable: false),
                    preview_deployments_limit = table.Column<int>(type: "integer", nullable: false),
                    protected_webhook_secret_github = table.Column<string>(type: "text", nullable: true),
                    protected_webhook_secret_gitlab = table.Column<string>(type: "text", nullable: true),
                    protected_webhook_secret_gitea = table.Column<string>(type: "text", nullable: true),
                    protected_webhook_secret_bitbucket = table.Column<string>(type: "text", nullable: true),
                    docker_images_to_keep = table.Column<int>(type: "integer", nullable: false),
                    is_git_submodules_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    is_git_shallow_clone_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    disable_build_cache = table.Column<bool>(type: "boolean", nullable: false),
                    stop_grace_period = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_applications", x => x.id);
                    table.ForeignKey(
                        name: "FK_applications_environments_environment_id",
                        column: x => x.environment_id,
                        principalTable: "environments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_applications_private_keys_private_key_id",
                        column: x => x.private_key_id,
                        principalTable: "private_keys",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_applications_servers_server_id",
                        column: x => x.server_id,
                        principalTable: "servers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "application_deployment_queues",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    deployment_uuid = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    application_id = table.Column<long>(type: "bigint", nullable: false),
                    team_id = table.Column<long>(type: "bigint", nullable: false),
                    server_id = table.Column<long>(type: "bigint", nullable: false),
                    pull_request_id = table.Column<int>(type: "integer", nullable: false),
                    force_rebuild = table.Column<bool>(type: "boolean", nullable: false),
                    commit = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    is_webhook = table.Column<bool>(type: "boolean", nullable: false),
                    is_api = table.Column<bool>(type: "boolean", nullable: false),
                    current_process_id = table.Column<string>(type: "text", nullable: true),
                    restart_only = table.Column<bool>(type: "boolean", nullable: false),
                    git_type = table.Column<string>(type: "text", nullable: true),
                    application_name = table.Column<string>(type: "text", nullable: true),
                    server_name = table.Column<string>(type: "text", nullable: true),
                    deployment_url = table.Column<string>(type: "text", nullable: true),
                    destination_id = table.Column<string>(type: "text", nullable: true),
                    only_this_server = table.Column<bool>(type: "boolean", nullable: false),
                    rollback = table.Column<bool>(type: "boolean", nullable: false),
                    commit_message = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_deployment_queues", x => x.id);
                    table.ForeignKey(
                        name: "FK_application_deployment_queues_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "application_previews",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    application_id = table.Column<long>(type: "bigint", nullable: false),
                    server_id = table.Column<long>(type: "bigint", nullable: false),
                    pull_request_id = table.Column<int>(type: "integer", nullable: false),
                    pull_request_html_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    git_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    fqdn = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    port = table.Column<int>(type: "integer", nullable: false),
                    source_ref = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    commit = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                name: "application_tags",
                columns: table => new
                {
                    application_id = table.Column<long>(type: "bigint", nullable: false),
                    tag_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_tags", x => new { x.application_id, x.tag_id });
                    table.ForeignKey(
                        name: "FK_application_tags_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_application_tags_tags_tag_id",
                        column: x => x.tag_id,
                        principalTable: "tags",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "environment_variables",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    application_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false),
                    protected_value = table.Column<string>(type: "text", nullable: false),
                    is_preview = table.Column<bool>(type: "boolean", nullable: false),
                    is_buildtime = table.Column<bool>(type: "boolean", nullable: false),
                    is_runtime = table.Column<bool>(type: "boolean", nullable: false),
                    is_literal = table.Column<bool>(type: "boolean", nullable: false),
                    is_multiline = table.Column<bool>(type: "boolean", nullable: false),
                    is_shown_once = table.Column<bool>(type: "boolean", nullable: false),
                    comment = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_environment_variables", x => x.id);
                    table.ForeignKey(
                        name: "FK_environment_variables_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    application_id = table.Column<long>(type: "bigint", nullable: true),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(128)", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    delivery_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    repository = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    branch = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    pull_request_id = table.Column<int>(type: "integer", nullable: true),
                    commit = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    verified = table.Column<bool>(type: "boolean", nullable: false),
                    result = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    message = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    deployment_uuids = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "deployment_log_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    deployment_id = table.Column<long>(type: "bigint", nullable: false),
                    order = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    output = table.Column<string>(type: "text", nullable: false),
                    command = table.Column<string>(type: "text", nullable: true),
                    hidden = table.Column<bool>(type: "boolean", nullable: false),
                    batch = table.Column<int>(type: "integer", nullable: false),
                    timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_log_entries", x => x.id);
                    table.ForeignKey(
                        name: "FK_deployment_log_entries_application_deployment_queues_deploy~",
                        column: x => x.deployment_id,
                        principalTable: "application_deployment_queues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_deployment_queues_application_id_status_pull_re~",
                table: "application_deployment_queues",
                columns: new[] { "application_id", "status", "pull_request_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_application_deployment_queues_deployment_uuid",
                table: "application_deployment_queues",
                column: "deployment_uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_application_deployment_queues_status_server_id",
                table: "application_deployment_queues",
                columns: new[] { "status", "server_id" });

            migrationBuilder.CreateIndex(
                name: "IX_application_deployment_queues_team_id_status",
                table: "application_deployment_queues",
                columns: new[] { "team_id", "status" });

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
                name: "IX_application_tags_tag_id",
                table: "application_tags",
                column: "tag_id");

            migrationBuilder.CreateIndex(
                name: "IX_applications_environment_id",
                table: "applications",
                column: "environment_id");

            migrationBuilder.CreateIndex(
                name: "IX_applications_private_key_id",
                table: "applications",
                column: "private_key_id");

            migrationBuilder.CreateIndex(
                name: "IX_applications_server_id",
                table: "applications",
                column: "server_id");

            migrationBuilder.CreateIndex(
                name: "IX_applications_team_id",
                table: "applications",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_applications_uuid",
                table: "applications",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployment_log_entries_deployment_id_order",
                table: "deployment_log_entries",
                columns: new[] { "deployment_id", "order" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_environment_variables_application_id_key_is_preview",
                table: "environment_variables",
                columns: new[] { "application_id", "key", "is_preview" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_environment_variables_uuid",
                table: "environment_variables",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_environments_project_id_name",
                table: "environments",
                columns: new[] { "project_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_environments_uuid",
                table: "environments",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_personal_access_tokens_team_id",
                table: "personal_access_tokens",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_personal_access_tokens_token_hash",
                table: "personal_access_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_private_keys_team_id",
                table: "private_keys",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_private_keys_uuid",
                table: "private_keys",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_projects_team_id",
                table: "projects",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_projects_uuid",
                table: "projects",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_servers_private_key_id",
                table: "servers",
                column: "private_key_id");

            migrationBuilder.CreateIndex(
                name: "IX_servers_team_id",
                table: "servers",
                column: "team_id");

            migrationBuilder.CreateIndex(
                name: "IX_servers_uuid",
                table: "servers",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tags_team_id_name",
                table: "tags",
                columns: new[] { "team_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tags_uuid",
                table: "tags",
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
                name: "application_tags");

            migrationBuilder.DropTable(
                name: "deployment_log_entries");

            migrationBuilder.DropTable(
                name: "environment_variables");

            migrationBuilder.DropTable(
                name: "personal_access_tokens");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "tags");

            migrationBuilder.DropTable(
                name: "application_deployment_queues");

            migrationBuilder.DropTable(
                name: "applications");

            migrationBuilder.DropTable(
                name: "environments");

            migrationBuilder.DropTable(
                name: "servers");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "private_keys");

            migrationBuilder.DropTable(
                name: "teams");
        }
    }
}
