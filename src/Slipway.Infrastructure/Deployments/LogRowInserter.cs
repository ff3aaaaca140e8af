using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Slipway.Core.Deployments;
using Slipway.Infrastructure.Data;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// Inserts a batch of log rows as multi-row <c>INSERT ... VALUES (...), (...) ON CONFLICT DO NOTHING</c> statements in one transaction.
/// EF's <c>SaveChanges</c> sends one <c>INSERT ... RETURNING id</c> per row on SQLite and tracks every entity:
/// about 0.4 ms a row measured here, which was most of the delay before a follower saw a line. Table, column
/// names and parameter conversions come from the EF model, so it works on SQLite and PostgreSQL alike.
/// </summary>
internal static class LogRowInserter
{
    /// <summary>Rows per statement: 8 parameters each stays far below SQLite's and PostgreSQL's limits.</summary>
    private const int RowsPerStatement = 250;

    /// <summary>The statement's start and its columns, worked out once per model (one per database provider).</summary>
    private static readonly ConditionalWeakTable<IModel, Shape> Shapes = new();

    /// <summary>Inserts the rows in one transaction; <paramref name="leadingStatement"/>, when given, runs first in it.</summary>
    public static async Task InsertAsync(
        SlipwayDbContext db, IReadOnlyList<DeploymentLogEntry> rows, string? leadingStatement, CancellationToken cancellationToken)
    {
        var (prefix, columns) = Shapes.GetValue(db.Model, _ => ShapeOf(db));
        // Retried as a whole (one transaction) when PostgreSQL drops the connection, e.g. while it restarts.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(() => InsertOnceAsync(db, prefix, columns, rows, leadingStatement, cancellationToken));
    }

    private static async Task InsertOnceAsync(
        SlipwayDbContext db, string prefix, IProperty[] columns, IReadOnlyList<DeploymentLogEntry> rows, string? leadingStatement, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            for (var start = 0; start < rows.Count; start += RowsPerStatement)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction.GetDbTransaction();
                command.CommandText = Statement(prefix, command, columns, rows, start, Math.Min(RowsPerStatement, rows.Count - start));
                if (start == 0 && leadingStatement is not null)
                {
                    command.CommandText = leadingStatement + "\n" + command.CommandText;
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Shape ShapeOf(SlipwayDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(DeploymentLogEntry))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => !p.IsPrimaryKey()).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var prefix = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))).Append(") VALUES ").ToString();
        return new Shape(prefix, columns);
    }

    private sealed record Shape(string Prefix, IProperty[] Columns);

    private static string Statement(string prefix, DbCommand command, IProperty[] columns, IReadOnlyList<DeploymentLogEntry> rows, int start, int count)
    {
        var text = new StringBuilder(prefix, prefix.Length + (count * columns.Length * 8));
        for (var row = 0; row < count; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Length; column++)
            {
                var property = columns[column];
                var name = $"@p{(row * columns.Length) + column}";
                // The mapping applies the property's converter (e.g. how SQLite stores a DateTime), as SaveChanges would.
                command.Parameters.Add(property.GetRelationalTypeMapping()
                    .CreateParameter(command, name, property.GetGetter().GetClrValue(rows[start + row]), property.IsNullable));
                text.Append(column == 0 ? "" : ", ").Append(name);
            }

            text.Append(')');
        }

        // A retry of a batch whose commit landed but whose reply was lost finds its rows there (the unique index on
        // deployment and order): they are the same rows, so the retry succeeds instead of failing a stored batch.
        return text.Append(" ON CONFLICT DO NOTHING").ToString();
    }
}
