using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Slipway.Infrastructure.Data.Postgres.Migrations
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "log_complete",
                table: "application_deployment_queues",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "slipway_cluster_settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slipway_cluster_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "slipway_instances",
                columns: table => new
                {
                    generation = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    machine_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    work_root = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    heartbeat_ms = table.Column<long>(type: "bigint", nullable: false),
                    lease_expires_ms = table.Column<long>(type: "bigint", nullable: false),
                    stopped_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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

            // Every instance learns of changes from PostgreSQL itself (see PostgresChangeListener): whoever writes —
            // an instance, the CLI, a script — the triggers announce it on the slipway_changes channel after commit,
            // as "{origin}/{message}": the writing session's slipway.origin (see PostgresSessions), so the writer can
            // skip its own; empty for a session without one.
            migrationBuilder.Sql("""
                CREATE FUNCTION slipway_notify(message text) RETURNS void LANGUAGE sql AS $$
                    SELECT pg_notify('slipway_changes', coalesce(current_setting('slipway.origin', true), '') || '/' || message);
                $$;

                CREATE FUNCTION slipway_notify_deployment() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM slipway_notify('d:' || OLD.id || ':0');
                        RETURN OLD;
                    END IF;
                    -- ':1' when the row became queued (something may now start: wake the other schedulers); a row that
                    -- ended frees a slot only the instance that ran it needs to hear of, and that one knows already.
                    PERFORM slipway_notify('d:' || NEW.id || ':'
                        || CASE WHEN NEW.status = 'queued' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status) THEN '1' ELSE '0' END);
                    RETURN NEW;
                END $$;
                CREATE TRIGGER slipway_deployments_notify AFTER INSERT OR UPDATE OR DELETE ON application_deployment_queues
                    FOR EACH ROW EXECUTE FUNCTION slipway_notify_deployment();

                CREATE FUNCTION slipway_notify_log() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM slipway_notify('l:' || changed.deployment_id) FROM (SELECT DISTINCT deployment_id FROM new_rows) AS changed;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER slipway_log_notify AFTER INSERT ON deployment_log_entries
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION slipway_notify_log();

                CREATE FUNCTION slipway_notify_token() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM slipway_notify('t:' || TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER slipway_tokens_notify AFTER INSERT OR UPDATE OR DELETE ON personal_access_tokens
                    FOR EACH STATEMENT EXECUTE FUNCTION slipway_notify_token();
                CREATE TRIGGER slipway_teams_notify AFTER INSERT OR UPDATE OR DELETE ON teams
                    FOR EACH STATEMENT EXECUTE FUNCTION slipway_notify_token();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS slipway_teams_notify ON teams;
                DROP TRIGGER IF EXISTS slipway_tokens_notify ON personal_access_tokens;
                DROP TRIGGER IF EXISTS slipway_log_notify ON deployment_log_entries;
                DROP TRIGGER IF EXISTS slipway_deployments_notify ON application_deployment_queues;
                DROP FUNCTION IF EXISTS slipway_notify_token();
                DROP FUNCTION IF EXISTS slipway_notify_log();
                DROP FUNCTION IF EXISTS slipway_notify_deployment();
                DROP FUNCTION IF EXISTS slipway_notify(text);
                """);

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
