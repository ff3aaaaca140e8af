using Microsoft.EntityFrameworkCore;

namespace Slipway.Infrastructure.Data.Sqlite;

/// <summary>The SQLite flavour of the model; owns the migrations in this folder.</summary>
public sealed class SqliteSlipwayDbContext(DbContextOptions<SqliteSlipwayDbContext> options) : SlipwayDbContext(options);
