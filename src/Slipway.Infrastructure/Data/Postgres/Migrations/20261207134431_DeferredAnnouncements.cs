using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Slipway.Infrastructure.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DeferredAnnouncements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A transaction that set slipway.announce = 'later' (Slipway.Infrastructure.Cluster.DeferredAnnouncements) is
            // announced by the instance that wrote it, batched with its other writes: the triggers stay silent for it.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION slipway_notify(message text) RETURNS void LANGUAGE sql AS $$
                    SELECT pg_notify('slipway_changes', coalesce(current_setting('slipway.origin', true), '') || '/' || message)
                    WHERE current_setting('slipway.announce', true) IS DISTINCT FROM 'later';
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION slipway_notify(message text) RETURNS void LANGUAGE sql AS $$
                    SELECT pg_notify('slipway_changes', coalesce(current_setting('slipway.origin', true), '') || '/' || message);
                $$;
                """);
        }
    }
}
